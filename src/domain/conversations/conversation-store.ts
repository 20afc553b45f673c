/**
 * Places a chat platform lets Postbag post to later without being asked (the daily
 * digest, reminders): a Teams personal chat, team channel or group chat the bot is
 * installed in. The core never looks inside `reference`; only the adapter that
 * stored it knows how to use it.
 */
export interface StoredConversation {
  conversationId: string;
  conversationType: "personal" | "channel" | "groupChat";
  tenantId: string | null;
  teamId: string | null;
  reference: unknown;
}

export interface ConversationStore {
  /** Adds the conversation, or refreshes the reference already held for it. */
  save(conversation: StoredConversation): Promise<void>;
  /** Forgets one conversation; returns how many were removed (0 or 1). */
  remove(conversationId: string): Promise<number>;
  /** Forgets every channel of a team the app was removed from. */
  removeTeam(teamId: string): Promise<number>;
  list(): Promise<StoredConversation[]>;
}
