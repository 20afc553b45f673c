import { DomainError } from "../../domain/errors.ts";
import type { ParsedArgs, Word } from "./tokenize.ts";

/**
 * Where a name ends is never guessed. `log letter 2026-12-01 Sam Smith Noise` could be Sam
 * about "Smith Noise" or Sam Smith about "Noise"; Postbag refuses it and shows the two ways
 * to write it, on every surface alike (the CLI, Slack's /case, the Teams bot).
 */

/** Flags whose value is a name or words, where an unquoted second word would be lost or misplaced. */
const WORDY_FLAGS = new Set(["assign", "name", "partner", "summary", "note", "address", "subject", "theme", "themes", "alias", "remove-alias", "contact", "rename"]);

/** A person's own words echoed in a refusal, kept short whatever was pasted. */
function echo(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The words after a name, as many as make the example clear. */
function echoWords(words: readonly string[]): string {
  return [...words.slice(0, 5).map((word) => echo(word)), ...(words.length > 5 ? ["…"] : [])].join(" ");
}

/** Writes a value so the command reader takes it as one word, on any surface. */
export function quoteWord(text: string): string {
  return text.includes('"') ? `“${text}”` : `"${text}"`;
}

/**
 * `--assign Carl Caseworker`: a flag's value of more than one word must be quoted, or the
 * second word would be taken for part of something else.
 */
export function refuseRunOnFlagValues(words: readonly Word[]): void {
  for (let index = 0; index + 2 < words.length; index += 1) {
    const flagWord = words[index]!;
    const name = flagWord.text.startsWith("--") && !flagWord.quoted ? flagWord.text.slice(2) : "";
    const value = words[index + 1]!;
    const next = words[index + 2]!;
    if (!WORDY_FLAGS.has(name) || value.quoted || next.quoted || value.text.startsWith("--") || next.text.startsWith("--")) continue;
    if ((name === "assign" || name === "partner") && isIdentifier(value.text)) continue;
    const [first, second] = [echo(value.text), echo(next.text)];
    throw new DomainError(
      "invalid_input",
      `Put the value of --${name} in quotes so Postbag knows where it ends: --${name} ${quoteWord(`${first} ${second}`)} (or --${name} ${quoteWord(first)}, then the rest).`,
      name,
    );
  }
}

/** A word that names someone without being a name that could run on: an email, a Slack or Teams id, a C12. */
function isIdentifier(text: string): boolean {
  return text.includes("@") || /^[UW][A-Z0-9]{3,}$|^C\d+$|^me$/.test(text) || /^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$/i.test(text);
}

/**
 * Refuses when the positional word at `at` is an unquoted name with more than one word after
 * it, where it would be a guess whether those words belong to the name. `lead` is how the
 * command begins (`log letter 2026-12-01`, `staff deactivate`), to show the exact ways to write it.
 */
export function refuseUnquotedName(args: ParsedArgs, at: number, lead: string, what: string): void {
  const name = args.positional[at];
  const after = args.positional.slice(at + 1);
  if (name === undefined || args.quoted[at] || isIdentifier(name) || after.length < 2 || args.quoted[at + 1]) return;
  const flags = args.flags.size ? " …" : "";
  const shownName = echo(name);
  const longer = `${lead} ${quoteWord(`${shownName} ${echo(after[0]!)}`)} ${echoWords(after.slice(1))}${flags}`;
  const shorter = `${lead} ${shownName} ${quoteWord(echoWords(after))}${flags}`;
  throw new DomainError(
    "invalid_input",
    `Put ${what} in quotes so Postbag knows where it ends: ${longer} — or, if it is just “${shownName}”: ${shorter}`,
    "name",
  );
}

const ROLE_WORD = /^(admin|caseworker|manager|viewer)(,(admin|caseworker|manager|viewer))*,?$/i;

/**
 * `staff roles Jane Doe manager`: the roles are known words, so the name is what comes before
 * them; of more than one word it must be quoted, and the refusal shows it quoted.
 */
export function refuseUnquotedNameBeforeRoles(args: ParsedArgs, at: number, lead: string): void {
  const words = args.positional.slice(at);
  const firstRole = words.findIndex((word, index) => index > 0 && ROLE_WORD.test(word));
  if (firstRole < 2 || args.quoted[at]) return;
  const nameWords = words.slice(0, firstRole);
  const roles = echoWords(words.slice(firstRole));
  throw new DomainError("invalid_input", `Put the person's name in quotes so Postbag knows where it ends: ${lead} ${quoteWord(echoWords(nameWords))} ${roles}`, "name");
}
