import { TeamsInfo, type Activity, type Mention, type TurnContext } from "botbuilder";
import { DomainError } from "../../domain/errors.ts";
import { decodeEntities, teamsHtmlText } from "../shared/platform-text.ts";

/**
 * Teams writes an @mention into the message text as `<at>Name</at>` and describes it in
 * a `mention` entity. The bot's own mention is noise in front of the command; a
 * colleague's mention in `assign` names the assignee.
 */

function mentionsOf(activity: Activity): Mention[] {
  return (activity.entities ?? []).filter((entity): entity is Mention & { type: "mention" } => entity.type === "mention");
}

/**
 * The command text: the bot's own mention removed, the message's HTML (paragraphs, entities
 * such as `&#8217;` and `&nbsp;`) read as plain text, other mentions left for `mentionsToTeamsIds`.
 */
export function commandText(activity: Activity): string {
  let text = activity.text ?? "";
  for (const mention of mentionsOf(activity)) {
    if (mention.mentioned?.id === activity.recipient?.id && mention.text) text = text.split(mention.text).join(" ");
  }
  // A mention of the bot Teams did not describe in an entity (older clients) is dropped too.
  if (activity.recipient?.name) text = text.split(`<at>${activity.recipient.name}</at>`).join(" ");
  // Spaces are left as typed: the command reader splits on them, and inside quotes they are part of a name.
  return teamsHtmlText(text, { keepMentions: true });
}

/**
 * Replaces each colleague's mention with their Entra object id, which Postbag stores as
 * the staff record's Teams id, so `assign PFCC-2026-0001 @Cora` finds Cora. Teams does
 * not always put the object id on the mention; then the roster is asked.
 */
export async function mentionsToTeamsIds(context: TurnContext, text: string): Promise<string> {
  let result = text;
  for (const mention of mentionsOf(context.activity)) {
    if (!mention.text || mention.mentioned?.id === context.activity.recipient?.id) continue;
    const tag = decodeEntities(mention.text);
    if (!result.includes(tag)) continue;
    let aadObjectId = (mention.mentioned as { aadObjectId?: string }).aadObjectId;
    if (!aadObjectId) {
      const member = await TeamsInfo.getMember(context, mention.mentioned.id).catch(() => undefined);
      aadObjectId = member?.aadObjectId;
    }
    if (!aadObjectId) {
      throw new DomainError("staff_not_found", `Postbag could not look up ${mention.mentioned.name ?? "that person"} in Teams. Use their email instead.`, "assignee");
    }
    result = result.split(tag).join(` "${aadObjectId}" `);
  }
  return result.trim();
}

/** Any mention left in text that is not a command argument reads as the plain name. */
export function mentionsAsNames(text: string): string {
  return text.replace(/<at>(.*?)<\/at>/g, "$1");
}
