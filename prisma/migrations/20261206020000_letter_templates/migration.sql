-- The office's letter and email templates (issue 17), every version kept: a change is a new row
-- naming who saved it; rows are never updated or deleted, so a sent item can always name the
-- exact words it came from. Which fields a template may name is checked in domain/letters.
CREATE TABLE "letter_template" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "form" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "subject" TEXT,
    "body" TEXT NOT NULL,
    "changed_by" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,
    "note" TEXT,

    CONSTRAINT "letter_template_pkey" PRIMARY KEY ("id")
);

CREATE UNIQUE INDEX "letter_template_key_form_version_key" ON "letter_template"("key", "form", "version");
