import { createHash } from "node:crypto";
import { MessageFactory, type Activity, type TurnContext } from "botbuilder";
import type { CaseView } from "../../../domain/cases/case-view.ts";
import { DomainError } from "../../../domain/errors.ts";
import { formatSize } from "../../../domain/files/file-rules.ts";
import type { Command } from "../../shared/commands.ts";
import { executeCommand, type CommandResult, type OutputFile } from "../../shared/execute-command.ts";
import { userMessageFor } from "../../shared/user-message.ts";
import { fileConsentAttachment, fileInfoAttachment } from "../cards/file-cards.ts";
import { teamsText } from "../cards/teams-text.ts";
import { uploadFailureWords, uploadToSession } from "../onedrive-upload.ts";
import { actorOf, audienceOf, type TeamsDeps } from "../turn.ts";
import { fileConsentSchema, type FileOffer, type FileOfferCommand } from "./file-consent.schema.ts";
import { post, reply } from "./reply.ts";

/**
 * Files from Postbag in Teams: a bot may only offer a file with a FileConsentCard in a personal
 * chat; when the person accepts, Teams opens an upload session in their OneDrive and Postbag
 * puts the bytes there (`fileConsent/invoke`).
 *
 * Between the offer and the answer nothing is held in memory: the card carries the command that
 * made the file, and on accept the core makes it again for whoever accepted. That survives a
 * restart or a second instance, costs no memory however large a subject access bundle is, and
 * re-checks the person's roles and a sensitive case's access in the very call that reads the
 * data — so a role taken away, or a case made sensitive, since the offer refuses the file. The
 * audit log therefore records the request and, again, the delivery (each is a read). A case's
 * file must come back byte for byte (its SHA-256 is on the card); a remade export or bundle must
 * keep its name (a new day or period gives a new name, and the person is asked to ask again).
 */

export type FileCommand = Extract<Command, { name: "export" | "sar" | "file" | "statement" }>;
type FilesResult = Extract<CommandResult, { kind: "files" }>;

export function isFileCommand(command: Command): command is FileCommand {
  return command.name === "export" || command.name === "sar" || command.name === "file" || command.name === "statement";
}

/** The command as typed to Postbag, to ask again. */
export function commandLine(command: FileOfferCommand): string {
  switch (command.name) {
    case "export":
      return command.period ? `export ${command.period}` : "export";
    case "sar":
      return `sar ${command.who}`;
    case "statement":
      return command.quarter ? `statement ${command.quarter}` : "statement";
    case "file":
      return `file ${command.reference} ${command.which}`;
  }
}

/** Asked in a channel or group chat: refused before anything is read (a subject's name typed there is not repeated). */
export function personalChatOnly(command: FileCommand): DomainError {
  const asked = command.name === "sar" ? "sar <who>" : commandLine(command);
  return new DomainError("invalid_input", `Teams lets Postbag send files only in a personal chat: ask in your personal chat with Postbag (${asked}).`);
}

const PERSONAL_ONLY = "Teams lets Postbag send files only in a personal chat, so nothing was sent: ask in your personal chat with Postbag.";
const UNREADABLE = "This file offer could not be read, so nothing was sent. Ask for the file again.";

/** Teams throttles a bot to 7 messages a second in a conversation: a subject access bundle larger than this is offered in part. */
const MAX_OFFERS = 10;

function bytesOf(content: string | Uint8Array): Uint8Array {
  return typeof content === "string" ? Buffer.from(content, "utf8") : content;
}

function sha256(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

function offerActivity(command: FileOfferCommand, file: OutputFile, sha?: string): Partial<Activity> {
  const offer: FileOffer = { command, filename: file.filename, ...(sha ? { sha256: sha } : {}) };
  const activity = MessageFactory.attachment(fileConsentAttachment({ filename: file.filename, description: file.title, sizeInBytes: bytesOf(file.content).byteLength }, offer));
  activity.summary = `Postbag offers you ${file.filename}`;
  return activity;
}

/** `export`, `sar` and `file` in a personal chat: what the core made, each file offered on its own card. */
export async function offerFiles(context: TurnContext, deps: TeamsDeps, command: FileCommand, result: FilesResult): Promise<void> {
  const offered = result.files.slice(0, MAX_OFFERS);
  const more = result.files.length - offered.length;
  const words = [
    result.message,
    offered.length === 1
      ? "Teams asks you first: accept the card below and Postbag puts the file in your OneDrive."
      : "Teams asks you first: accept each card below and Postbag puts that file in your OneDrive.",
  ];
  if (more > 0) words.push(`${more} more file${more === 1 ? " is" : "s are"} too many to offer here: at the command line, postbag ${commandLine(command)} --out <folder> writes them all.`);
  await reply(context, deps, words.join(" "));
  for (const file of offered) {
    await reply(context, deps, offerActivity(command, file, command.name === "file" ? sha256(bytesOf(file.content)) : undefined), "file offer");
  }
}

/**
 * A letter's PDF made by Send on a card: kept on the case, and offered as that file of the case
 * in a personal chat. Returns the sentence for the card.
 */
export async function offerMadeFile(context: TurnContext, deps: TeamsDeps, done: { message: string; view: CaseView; file?: { filename: string; mediaType: string; bytes: Uint8Array } }): Promise<string> {
  const made = done.file;
  if (!made) return done.message;
  const number = done.view.files?.findLast((listed) => listed.filename === made.filename)?.number;
  if (number === undefined) return `${done.message} It is kept on the case.`;
  const command = { name: "file" as const, reference: done.view.reference, which: String(number) };
  if (audienceOf(context.activity) !== "private") return `${done.message} Teams lets Postbag send files only in a personal chat: ask there with ${commandLine(command)}.`;
  const file: OutputFile = { filename: made.filename, mimeType: made.mediaType, content: made.bytes, title: `${done.view.reference}: ${made.filename}` };
  const sent = await post(context, deps, offerActivity(command, file, sha256(made.bytes)), "file offer");
  return sent
    ? `${done.message} Teams asks you first: accept the card in this chat and Postbag puts the PDF in your OneDrive.`
    : `${done.message} Teams did not take the offer of the PDF just now: ask for it with ${commandLine(command)}.`;
}

function say(context: TurnContext, deps: TeamsDeps, words: string, what = "file answer", attachments?: Activity["attachments"]): Promise<boolean> {
  const activity = MessageFactory.text(teamsText(words));
  if (attachments) activity.attachments = attachments;
  return post(context, deps, activity, what);
}

/** The core makes the offered file again, for whoever accepted, with every check it makes for the command. */
async function remake(deps: TeamsDeps, context: TurnContext, offer: FileOffer, again: string): Promise<Uint8Array> {
  const actor = await actorOf(deps.core, context.activity);
  const result = await executeCommand(deps.core, actor, offer.command, { audience: "private", request: { platform: "teams" } });
  const file = result.kind === "files" ? result.files.find((made) => made.filename === offer.filename) : undefined;
  const bytes = file && bytesOf(file.content);
  if (!bytes || (offer.sha256 !== undefined && sha256(bytes) !== offer.sha256)) {
    throw new DomainError("changed_meanwhile", `${offer.filename} has changed since Postbag offered it: ${again}`);
  }
  return bytes;
}

/** `fileConsent/invoke`, accepted: the file is made again and put in the upload session Teams opened. Never throws. */
export async function acceptFile(context: TurnContext, value: unknown, deps: TeamsDeps): Promise<void> {
  if (audienceOf(context.activity) !== "private") return void (await say(context, deps, PERSONAL_ONLY));
  const parsed = fileConsentSchema.safeParse(value);
  if (!parsed.success || parsed.data.action !== "accept") return void (await say(context, deps, UNREADABLE));
  const { context: offer, uploadInfo } = parsed.data;
  const again = `ask again with ${commandLine(offer.command)} and accept the new card.`;
  const target = new URL(uploadInfo.uploadUrl);
  if (!deps.fileSource(target)) {
    deps.logger.warn({ host: target.host }, "Teams: a file consent named an upload address outside SharePoint");
    return void (await say(context, deps, `Nothing was sent: the upload address Teams gave is not in OneDrive. To have the file, ${again}`));
  }
  let bytes: Uint8Array;
  try {
    bytes = await remake(deps, context, offer, again);
  } catch (error) {
    const message = userMessageFor(error, deps.logger, { activityId: context.activity.id, command: offer.command.name });
    return void (await say(context, deps, message.expected ? `${message.text} Nothing was sent to your OneDrive.` : message.text));
  }
  try {
    await uploadToSession(uploadInfo.uploadUrl, bytes, deps.upload);
  } catch (error) {
    deps.logger.warn({ err: error, command: offer.command.name }, "Teams: a file did not reach OneDrive");
    return void (await say(context, deps, `${offer.filename} did not arrive in your OneDrive: ${uploadFailureWords(error)}. To have it, ${again}`));
  }
  await say(context, deps, `Sent ${uploadInfo.name} (${formatSize(bytes.byteLength)}) to your OneDrive.`, "file sent", [fileInfoAttachment(uploadInfo)]);
}

/** `fileConsent/invoke`, declined: nothing is read, nothing sent. */
export async function declineFile(context: TurnContext, value: unknown, deps: TeamsDeps): Promise<void> {
  const parsed = fileConsentSchema.safeParse(value);
  const offer = parsed.success && audienceOf(context.activity) === "private" ? parsed.data.context : undefined;
  await say(context, deps, offer ? `Nothing was sent: you declined ${offer.filename}. To have it after all, ask again with ${commandLine(offer.command)}.` : "Nothing was sent.");
}
