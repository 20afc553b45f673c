-- A police complaint review's recommendations to the force are tracked until the force answers
-- them, after the case is closed too. The earliest day an answer is owed, decided by the domain
-- from the clock (domain/clocks/complaint-review-clock.ts) whenever a finding, recommendation or
-- answer is recorded; null when no answer is awaited. The digest lists what is past it.
ALTER TABLE "case" ADD COLUMN "force_answer_due" DATE;
CREATE INDEX "case_force_answer_due_idx" ON "case"("force_answer_due");
