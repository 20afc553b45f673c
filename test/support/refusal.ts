import { DomainError } from "../../src/domain/errors.ts";

/** The core's refusal of a promise that should fail; anything else (success, another error) fails the test. */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const error = await promise.then(
    () => new Error("expected a refusal"),
    (e: unknown) => e,
  );
  if (!(error instanceof DomainError)) throw error;
  return error;
}
