import type { ClockType } from "./clock.ts";

/**
 * How people name a statutory type in a command (`type PFCC-2026-0042 foi`, `log … --type foi`)
 * and a form, and `none` for the office's own standard. Kept apart from the clocks so the case
 * schemas can name the types without loading them.
 */
export const TYPE_WORDS: Record<string, ClockType | null> = {
  review: "complaint_review",
  "cc-complaint": "chief_constable_complaint",
  foi: "foi_request",
  "foi-review": "foi_internal_review",
  sar: "subject_access_request",
  none: null,
};

export const TYPE_NAMES = Object.keys(TYPE_WORDS) as [string, ...string[]];
