-- Files attached to cases. The bytes live in the file store (the data directory or S3-compatible
-- storage) under their SHA-256; a row names the case, the file as it was called, and who added it.
CREATE TABLE "case_file" (
    "id" SERIAL NOT NULL,
    "case_id" INTEGER NOT NULL,
    "sha256" TEXT NOT NULL,
    "filename" TEXT NOT NULL,
    "media_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "added_by_id" INTEGER,
    "added_at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "case_file_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "case_file_case_id_idx" ON "case_file"("case_id");

-- CreateIndex
CREATE INDEX "case_file_sha256_idx" ON "case_file"("sha256");

-- AddForeignKey
ALTER TABLE "case_file" ADD CONSTRAINT "case_file_case_id_fkey" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "case_file" ADD CONSTRAINT "case_file_added_by_id_fkey" FOREIGN KEY ("added_by_id") REFERENCES "staff"("id") ON DELETE SET NULL ON UPDATE CASCADE;
