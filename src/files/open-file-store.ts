import type { FileStoreConfig } from "../config.ts";
import type { FileStore } from "../domain/files/file-store.ts";
import { LocalFileStore } from "./local-file-store.ts";
import { S3FileStore } from "./s3-file-store.ts";

/** The file store the configuration names (POSTBAG_FILE_STORE): the data directory's folder, or S3-compatible storage. */
export function openFileStore(config: FileStoreConfig): FileStore & { close?(): void } {
  return config.kind === "s3" ? new S3FileStore(config) : new LocalFileStore(config.dir);
}
