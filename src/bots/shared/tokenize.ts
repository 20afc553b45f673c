/**
 * Splits command text the way a shell would, so the CLI, Slack and Teams read
 * `log letter 2026-12-24 "Jane Doe" Speeding` identically. Smart quotes and the
 * em dash some keyboards substitute for `--` are accepted.
 */
export function tokenize(text: string): string[] {
  const normalised = text.replace(/[“”„]/g, '"').replace(/[‘’]/g, "'").replace(/(^|\s)[—–](?=\w)/g, "$1--");
  const tokens: string[] = [];
  let current = "";
  let quote: string | null = null;
  let inToken = false;
  for (const char of normalised) {
    if (quote) {
      if (char === quote) quote = null;
      else current += char;
    } else if (char === '"' || char === "'") {
      quote = char;
      inToken = true;
    } else if (/\s/.test(char)) {
      if (inToken) tokens.push(current);
      current = "";
      inToken = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (inToken) tokens.push(current);
  return tokens;
}

export interface ParsedArgs {
  positional: string[];
  /** Flag values; a flag given more than once keeps every value. */
  flags: Map<string, string[]>;
}

/** Separates `--flag value`, `--flag=value` and bare `--switch` from positional words. */
export function splitFlags(tokens: readonly string[], switches: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (!token.startsWith("--") || token.length === 2) {
      positional.push(token);
      continue;
    }
    const [name, inline] = token.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined) add(name, inline);
    else if (switches.includes(name)) add(name, "true");
    else if (index + 1 < tokens.length) add(name, tokens[++index]!);
    else add(name, "");
  }
  return { positional, flags };
}
