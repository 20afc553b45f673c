import type { z } from "zod";

/** Every way an operation can refuse, as one union so adapters can map each. */
export type ErrorCode =
  | "invalid_input"
  | "case_not_found"
  | "staff_not_found"
  | "not_registered"
  | "not_permitted"
  | "invalid_transition"
  | "changed_meanwhile"
  | "already_exists"
  /** A request key reused for a different request. */
  | "request_reused"
  /** A person being logged is probably a known constituent: whoever logs says whether they are. */
  | "constituent_unclear"
  | "unavailable";

/**
 * The only error a person ever sees. `message` is a sentence they can act on;
 * `field` names the input at fault, so a form can show the error beside it.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** Parses `input` with `schema`, turning the first problem into an `invalid_input` error. */
export function parseInput<Schema extends z.ZodType>(schema: Schema, input: unknown): z.output<Schema> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue?.path.map(String).join(".") || undefined;
  throw new DomainError("invalid_input", issue?.message ?? "That input is not valid.", field);
}
