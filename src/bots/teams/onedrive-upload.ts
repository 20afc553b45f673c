/**
 * Puts a file's bytes into the upload session Teams opens in a person's OneDrive when they accept
 * a FileConsentCard (`uploadInfo.uploadUrl`). The session address is pre-authorised, so no
 * Authorization header goes with it (OneDrive refuses one). Each PUT names its bytes with
 * `Content-Range: bytes {first}-{last}/{total}`; OneDrive answers 202 to a part and 200 or 201
 * (the new item) to the last. Parts other than the last must be multiples of 320 KiB.
 */

/** 12 × 320 KiB (3.75 MiB): an export, a letter's PDF or a scan goes in one PUT; a large file in parts of this size. */
export const UPLOAD_PART_BYTES = 12 * 320 * 1024;

export interface UploadOptions {
  /** How long one PUT may take before the upload is given up. */
  timeoutMs: number;
}

export const DEFAULT_UPLOAD: UploadOptions = { timeoutMs: 60_000 };

/** Why OneDrive did not take a file: its answer, no answer in time, or no connection. */
export class OneDriveUploadError extends Error {
  constructor(readonly reason: { status: number } | { timedOut: number } | { unreachable: string }) {
    super(`OneDrive upload failed: ${JSON.stringify(reason)}`);
    this.name = "OneDriveUploadError";
  }
}

/**
 * Sends `bytes` to the session at `url`, part by part. A refused or unanswered part ends the
 * upload (no retry: the person is told and asks again, which opens a new session), and the
 * session is then cancelled so OneDrive keeps nothing half-written.
 */
export async function uploadToSession(url: string, bytes: Uint8Array, options: UploadOptions = DEFAULT_UPLOAD, fetchFn: typeof fetch = globalThis.fetch): Promise<void> {
  const total = bytes.byteLength;
  // An upload session cannot describe an empty range; Postbag's files (a CSV with its header, a PDF) never are.
  if (total === 0) throw new OneDriveUploadError({ status: 416 });
  try {
    for (let first = 0; first < total; first += UPLOAD_PART_BYTES) {
      const last = Math.min(first + UPLOAD_PART_BYTES, total) - 1;
      await putPart(url, bytes.subarray(first, last + 1), `bytes ${first}-${last}/${total}`, options, fetchFn);
    }
  } catch (error) {
    await fetchFn(url, { method: "DELETE", redirect: "error", signal: AbortSignal.timeout(5_000) })
      .then((response) => response.arrayBuffer())
      .catch(() => undefined);
    throw error;
  }
}

async function putPart(url: string, part: Uint8Array, range: string, options: UploadOptions, fetchFn: typeof fetch): Promise<void> {
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: "PUT",
      headers: { "content-type": "application/octet-stream", "content-range": range },
      body: part,
      // The bytes go to the address Teams gave and nowhere else.
      redirect: "error",
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    await response.arrayBuffer();
  } catch (error) {
    const name = (error as Error).name;
    if (name === "TimeoutError" || name === "AbortError") throw new OneDriveUploadError({ timedOut: options.timeoutMs });
    throw new OneDriveUploadError({ unreachable: (error as Error).message });
  }
  if (response.status !== 200 && response.status !== 201 && response.status !== 202) throw new OneDriveUploadError({ status: response.status });
}

/** What to tell a person whose file OneDrive did not take. */
export function uploadFailureWords(error: unknown): string {
  if (!(error instanceof OneDriveUploadError)) return "it could not be sent";
  const { reason } = error;
  if ("timedOut" in reason) return `OneDrive did not answer within ${reason.timedOut < 2000 ? `${reason.timedOut} ms` : `${Math.round(reason.timedOut / 1000)} seconds`}`;
  if ("unreachable" in reason) return "OneDrive could not be reached";
  if (reason.status === 404 || reason.status === 410) return `the upload Teams opened had expired (OneDrive answered ${reason.status})`;
  return reason.status >= 500 ? `OneDrive failed to take it (it answered ${reason.status})` : `OneDrive refused it (it answered ${reason.status})`;
}
