/**
 * Splits command text the way a shell would, so the CLI, Slack and Teams read
 * `log letter 2026-12-24 "Jane Doe" Speeding` identically. Smart quotes and the em dash
 * some keyboards substitute for `--` are accepted. A quote opens only at the start of a word
 * and closes only at the end of one, so apostrophes stay inside names (`O'Brien`, `Mo’s`);
 * a quote never closed is an apostrophe too, so it cannot swallow the flags after it.
 */
export function tokenize(text: string): string[] {
  const normalised = text.replace(/(^|\s)[—–](?=\w)/g, "$1--");
  const literal = new Set<number>();
  for (;;) {
    const result = split(normalised, literal);
    if (result.unclosedAt === null) return result.tokens;
    literal.add(result.unclosedAt);
  }
}

/** Each opening quote, straight or curly, and the marks that close it. */
const CLOSES: Record<string, readonly string[]> = {
  '"': ['"', "”", "“"],
  "“": ["”", '"', "“"],
  "„": ["“", "”", '"'],
  "'": ["'", "’"],
  "‘": ["’", "'"],
};

function split(text: string, literal: ReadonlySet<number>): { tokens: string[]; unclosedAt: number | null } {
  const tokens: string[] = [];
  let current = "";
  let quote: { char: string; at: number } | null = null;
  let inToken = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    const next = text[index + 1];
    const atWordEnd = next === undefined || /\s/.test(next);
    if (quote) {
      if (CLOSES[quote.char]!.includes(char) && atWordEnd) quote = null;
      else current += char;
    } else if (char in CLOSES && !inToken && !literal.has(index)) {
      quote = { char, at: index };
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
  if (quote) return { tokens, unclosedAt: quote.at };
  if (inToken) tokens.push(current);
  return { tokens, unclosedAt: null };
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
