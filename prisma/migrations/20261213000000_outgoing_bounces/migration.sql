-- An email Postbag sent that came back undelivered (a delivery status notification read by mail
-- intake): the item is marked bounced with when and why, and the message that said so. The step
-- it had recorded is undone on the case by a timeline entry of its own (never by removing one).
ALTER TABLE "outgoing_item" ADD COLUMN "bounced_at" TIMESTAMPTZ(3);
ALTER TABLE "outgoing_item" ADD COLUMN "bounce_reason" TEXT;
ALTER TABLE "outgoing_item" ADD COLUMN "bounce_intake_id" INTEGER;
