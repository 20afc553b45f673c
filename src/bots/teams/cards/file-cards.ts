/**
 * The two Teams attachments of a file sent by a bot: the FileConsentCard that asks the person
 * before anything goes to their OneDrive, and the file info card that shows the file once it is
 * there. Pure functions, like the Adaptive Card builders beside them.
 */

export const FILE_CONSENT_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.consent";
export const FILE_INFO_CONTENT_TYPE = "application/vnd.microsoft.teams.card.file.info";

/** Teams shows the description under the file's name; it is plain text, not markdown. */
const MAX_DESCRIPTION = 500;

export interface FileAttachment {
  contentType: string;
  name: string;
  contentUrl?: string;
  content: Record<string, unknown>;
}

/**
 * Asks to put `filename` in the person's OneDrive. Teams hands `context` back with their answer
 * (the same for accept and decline, so a decline can say what was not sent).
 */
export function fileConsentAttachment(file: { filename: string; description: string; sizeInBytes: number }, context: Record<string, unknown>): FileAttachment {
  const description = file.description.length > MAX_DESCRIPTION ? `${file.description.slice(0, MAX_DESCRIPTION - 1)}…` : file.description;
  return {
    contentType: FILE_CONSENT_CONTENT_TYPE,
    name: file.filename,
    content: { description, sizeInBytes: file.sizeInBytes, acceptContext: context, declineContext: context },
  };
}

/** The file as it now is in OneDrive, from what Teams said when the person accepted. */
export function fileInfoAttachment(uploaded: { name: string; contentUrl: string; uniqueId: string; fileType: string }): FileAttachment {
  return {
    contentType: FILE_INFO_CONTENT_TYPE,
    name: uploaded.name,
    contentUrl: uploaded.contentUrl,
    content: { uniqueId: uploaded.uniqueId, fileType: uploaded.fileType },
  };
}
