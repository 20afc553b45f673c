import type { ConversationStore, StoredConversation } from "../domain/conversations/conversation-store.ts";
import type { Prisma, PrismaClient } from "./generated/client.ts";

/** Teams conversation references, one row per conversation id. */
export class PrismaConversationStore implements ConversationStore {
  constructor(private readonly prisma: PrismaClient) {}

  async save(conversation: StoredConversation): Promise<void> {
    const data = {
      conversationType: conversation.conversationType,
      tenantId: conversation.tenantId,
      teamId: conversation.teamId,
      reference: conversation.reference as Prisma.InputJsonValue,
    };
    await this.prisma.teamsConversation.upsert({
      where: { conversationId: conversation.conversationId },
      create: { conversationId: conversation.conversationId, ...data },
      update: data,
    });
  }

  async remove(conversationId: string): Promise<number> {
    return (await this.prisma.teamsConversation.deleteMany({ where: { conversationId } })).count;
  }

  async removeTeam(teamId: string): Promise<number> {
    return (await this.prisma.teamsConversation.deleteMany({ where: { teamId } })).count;
  }

  async list(): Promise<StoredConversation[]> {
    const rows = await this.prisma.teamsConversation.findMany({ orderBy: { id: "asc" } });
    return rows.map((row) => ({
      conversationId: row.conversationId,
      conversationType: row.conversationType as StoredConversation["conversationType"],
      tenantId: row.tenantId,
      teamId: row.teamId,
      reference: row.reference,
    }));
  }
}
