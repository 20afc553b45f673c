-- Staff who cannot be reached (issue 14): the last personal delivery to a person (an
-- assignment notice, their daily digest) that reached them on no platform, and why on each
-- platform tried. One row a person: the question is only whether their latest delivery failed.
-- A later delivery that arrives sets cleared_at (the row stays, saying when it was cleared).
-- Who counts as unreachable, and the words for each reason, are decided in domain/staff/reachability.ts.
CREATE TABLE "staff_unreachable" (
    "staff_id" INTEGER NOT NULL,
    "reasons" TEXT[],
    "failed_at" TIMESTAMPTZ(3) NOT NULL,
    "cleared_at" TIMESTAMPTZ(3),

    CONSTRAINT "staff_unreachable_pkey" PRIMARY KEY ("staff_id")
);

-- AddForeignKey
ALTER TABLE "staff_unreachable" ADD CONSTRAINT "staff_unreachable_staff_id_fkey" FOREIGN KEY ("staff_id") REFERENCES "staff"("id") ON DELETE CASCADE ON UPDATE CASCADE;
