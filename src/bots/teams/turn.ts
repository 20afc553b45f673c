import type { Activity } from "botbuilder";
import type { Core } from "../../app.ts";
import type { Audience } from "../../domain/cases/case-view.ts";
import { DomainError } from "../../domain/errors.ts";
import type { StaffRecord } from "../../domain/staff/staff-record.ts";
import type { Logger } from "../../logger.ts";
import type { UploadOptions } from "./onedrive-upload.ts";
import type { RetryOptions } from "./send.ts";

/** What every Teams handler needs. */
export interface TeamsDeps {
  core: Core;
  logger: Logger;
  retry: RetryOptions;
  /** Whether a file's downloadUrl may be fetched: Teams serves files a person sends from SharePoint (OneDrive). */
  fileSource: (url: URL) => boolean;
  /** Files put in a person's OneDrive (FileConsentCard accepted); the same hosts as `fileSource`. */
  upload?: UploadOptions;
}

/** Files sent to the bot come from the tenant's SharePoint (OneDrive for Business), over HTTPS. */
export function sharePointOnly(url: URL): boolean {
  return url.protocol === "https:" && (url.hostname.endsWith(".sharepoint.com") || url.hostname.endsWith(".sharepoint.us") || url.hostname.endsWith(".sharepoint.de"));
}

/**
 * A case shown in a personal chat is for that person's eyes; anything else (team
 * channel, group chat, meeting) is shared, and the core withholds sensitive details.
 */
/**
 * One person's own screen only in their personal chat with Postbag, whose id Teams starts with
 * `a:`. A card inserted by Find a case into a one-to-one chat between two people is also
 * "personal" to Teams (its id is `19:…@unq.gbl.spaces`), but two people read it: it is shared.
 */
export function audienceOf(activity: Activity): Audience {
  const conversation = activity.conversation;
  return conversation?.conversationType === "personal" && conversation.id?.startsWith("a:") ? "private" : "shared";
}

/** The member of staff behind an activity: Teams identifies people by their Entra (AAD) object id. */
export async function actorOf(core: Core, activity: Activity): Promise<StaffRecord> {
  const aadObjectId = activity.from?.aadObjectId;
  if (!aadObjectId) {
    throw new DomainError("not_registered", "Postbag could not tell who you are from Teams (no Microsoft Entra id on the message).");
  }
  return core.staff.resolveActor({ teamsUserId: aadObjectId });
}

/**
 * Teams re-delivers an activity with the same id when it saw no answer; message ids
 * are unique within a conversation, so the conversation is part of the key.
 */
export function messageRequestKey(activity: Activity): string {
  return `teams:msg:${activity.conversation.id}:${activity.id}`;
}

/**
 * A card button pressed twice on the same card (same case version) by the same person
 * is one request; a press on a newer card is a new one.
 */
export function cardRequestKey(verb: string, reference: string, version: number, activity: Activity): string {
  return `teams:card:${verb}:${reference.toUpperCase()}:v${version}:${activity.from?.aadObjectId ?? activity.from?.id}`;
}

/** Timeline entries fetched for a card: only what the card shows. */
export const CARD_TIMELINE_ENTRIES = 8;
