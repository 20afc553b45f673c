import { DomainError } from "../errors.ts";

/**
 * What Postbag accepts as a file on a case: scanned post, photos, documents and emails, up to
 * a size limit. The type is read from the file's own first bytes (file-type), never trusted
 * from its name or from what the platform says; text and emails, which have no signature,
 * are recognised by their content and name together.
 */

export const DEFAULT_MAX_FILE_BYTES = 25 * 1024 * 1024;

/** The accepted types, by the media type stored, with the words a refusal uses. */
export const ACCEPTED_TYPES: Record<string, string> = {
  "application/pdf": "PDF",
  "image/jpeg": "JPEG",
  "image/png": "PNG",
  "image/gif": "GIF",
  "image/tiff": "TIFF",
  "image/heic": "HEIC",
  "image/heif": "HEIF",
  "image/webp": "WebP",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (DOCX)",
  "application/msword": "Word (DOC)",
  "application/vnd.oasis.opendocument.text": "ODT",
  "text/plain": "plain text",
  "message/rfc822": "email (EML)",
};

const ACCEPTED_LIST = "PDF, JPEG, PNG, GIF, TIFF, HEIC/HEIF, WebP, Word (DOCX or DOC), ODT, plain text or an email (.eml)";

/** A file's size for people: `312 KB`, `4.2 MB`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  const mb = bytes / (1024 * 1024);
  return `${mb < 10 ? mb.toFixed(1) : Math.round(mb)} MB`;
}

/** Refuses a file over the limit, naming the limit and what to do instead. Checked before anything is read into the store. */
export function assertWithinSize(size: number, maxBytes: number, field = "file"): void {
  if (size === 0) throw new DomainError("invalid_input", "That file is empty. Attach the scan or document itself.", field);
  if (size > maxBytes) {
    throw new DomainError(
      "invalid_input",
      `That file is ${formatSize(size)}; files on a case may be at most ${formatSize(maxBytes)}. Scan at a lower resolution or split it into parts, and attach those.`,
      field,
    );
  }
}

/** The accepted media type of `bytes`, read from its content; a refusal names what is accepted. */
export async function detectMediaType(bytes: Uint8Array, filename: string): Promise<string> {
  // Loaded with the first file, not at start.
  const { fileTypeFromBuffer } = await import("file-type");
  const detected = await fileTypeFromBuffer(bytes);
  const extension = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase();
  let mediaType: string | undefined;
  if (detected) {
    if (detected.mime === "image/heif-sequence" || detected.mime === "image/heic-sequence") mediaType = detected.mime.replace("-sequence", "");
    // An old Word document is an OLE compound file, as are other Office files: the name says which.
    else if (detected.ext === "cfb") mediaType = extension === "doc" ? "application/msword" : undefined;
    else mediaType = detected.mime;
  } else if (isText(bytes)) {
    mediaType = extension === "eml" || looksLikeEmail(bytes) ? "message/rfc822" : "text/plain";
  }
  if (!mediaType || !(mediaType in ACCEPTED_TYPES)) {
    const what = detected ? `a ${detected.ext.toUpperCase()} file` : "not a type Postbag keeps";
    throw new DomainError("invalid_input", `That file is ${what}. Attach ${ACCEPTED_LIST}; save or scan it as a PDF if in doubt.`, "file");
  }
  return mediaType;
}

/** UTF-8 without NULs or other binary control bytes. */
function isText(bytes: Uint8Array): boolean {
  try {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(0, 64 * 1024));
    // eslint-disable-next-line no-control-regex
    return !/[\u0000-\u0008\u000E-\u001A\u001C-\u001F]/.test(text);
  } catch {
    // A cut in the middle of a character at the 64 KB boundary is still text.
    return bytes.length > 64 * 1024 && isText(bytes.subarray(0, 64 * 1024 - 4));
  }
}

/** An RFC 5322 message starts with header fields, and names at least a sender or a date. */
function looksLikeEmail(bytes: Uint8Array): boolean {
  const head = new TextDecoder().decode(bytes.subarray(0, 8192)).split(/\r?\n\r?\n/)[0] ?? "";
  const lines = head.split(/\r?\n/).filter((line) => !/^[ \t]/.test(line));
  return lines.length >= 2 && lines.every((line) => /^[!-9;-~]+:/.test(line)) && lines.some((line) => /^(from|date|received|message-id):/i.test(line));
}

/**
 * A filename as people gave it, made safe to keep and show: no folders, no control
 * characters, at most 200 characters (keeping the extension); an empty name gets one.
 */
export function cleanFilename(raw: string, mediaType?: string): string {
  // eslint-disable-next-line no-control-regex
  const base = raw.split(/[\\/]/).at(-1)!.replace(/[\u0000-\u001F\u007F]/g, "").trim().replace(/^\.+/, "");
  const name = base || `file${mediaType ? extensionFor(mediaType) : ""}`;
  if (name.length <= 200) return name;
  const extension = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? "";
  return name.slice(0, 200 - extension.length) + extension;
}

function extensionFor(mediaType: string): string {
  const map: Record<string, string> = { "application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "text/plain": ".txt", "message/rfc822": ".eml" };
  return map[mediaType] ?? "";
}
