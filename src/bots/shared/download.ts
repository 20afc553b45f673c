import { DomainError } from "../../domain/errors.ts";
import { assertWithinSize } from "../../domain/files/file-rules.ts";

/**
 * Fetches a file a person shared on a platform (Slack's url_private, a Teams downloadUrl),
 * only from the origins that platform serves files from, and never more than `maxBytes`:
 * a larger file is refused with the size limit's own sentence, before it is all read.
 */
export async function downloadShared(
  fetcher: typeof fetch,
  url: string,
  options: { allowed: (url: URL) => boolean; maxBytes: number; headers?: Record<string, string>; declaredSize?: number },
): Promise<Uint8Array> {
  const parsed = new URL(url);
  // Only the platform's own file host: a link elsewhere is not a file the platform handed over.
  if (!options.allowed(parsed)) throw new DomainError("invalid_input", `Postbag only takes files shared through the chat itself, not from ${parsed.host}. Share the file again, or attach it from the console.`, "file");
  if (options.declaredSize !== undefined) assertWithinSize(options.declaredSize, options.maxBytes);
  const response = await fetcher(parsed, { headers: options.headers, redirect: "manual" });
  if (response.status !== 200 || !response.body) {
    throw new DomainError("unavailable", `The file could not be fetched (the platform answered ${response.status}). Share it again in a moment, or attach it from the console.`, "file");
  }
  const length = Number(response.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(length)) assertWithinSize(length, options.maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += chunk.byteLength;
    if (size > options.maxBytes) {
      await response.body.cancel().catch(() => undefined);
      assertWithinSize(size, options.maxBytes);
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
