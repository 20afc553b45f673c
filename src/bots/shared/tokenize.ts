/**
 * Splits command text the way a shell would, so the CLI, Slack and Teams read
 * `log letter 2026-12-24 "Jane Doe" Speeding` identically. Smart quotes and the em dash
 * some keyboards substitute for `--` are accepted. A quote opens only at the start of a word
 * and closes only at the end of one, so apostrophes stay inside names (`O'Brien`, `Mo’s`);
 * a quote never closed is an apostrophe too, so it cannot swallow the flags after it.
 */
export function tokenize(text: string): string[] {
  return tokenizeWords(text).map((word) => word.text);
}

/** A word of command text, and whether it was written in quotes (so where it ends is known). */
export interface Word {
  text: string;
  quoted: boolean;
}

/** `tokenize`, keeping which words were quoted: a name that was not is refused where it would be a guess. */
export function tokenizeWords(text: string): Word[] {
  const normalised = text.replace(/(^|\s)[—–](?=\w)/g, "$1--");
  const literal = new Set<number>();
  for (;;) {
    const result = split(normalised, literal);
    if (result.unclosedAt === null) return result.tokens;
    literal.add(result.unclosedAt);
  }
}

/**
 * Words the shell has already split (the CLI's argv): a word holding a space was quoted;
 * of a single word nobody can tell, so it counts as unquoted.
 */
export function argvWords(argv: readonly string[]): Word[] {
  return argv.map((text) => ({ text, quoted: /\s/.test(text) }));
}

/** Each opening quote, straight or curly, and the marks that close it. */
const CLOSES: Record<string, readonly string[]> = {
  '"': ['"', "”", "“"],
  "“": ["”", '"', "“"],
  "„": ["“", "”", '"'],
  "'": ["'", "’"],
  "‘": ["’", "'"],
};

function split(text: string, literal: ReadonlySet<number>): { tokens: Word[]; unclosedAt: number | null } {
  const tokens: Word[] = [];
  let current = "";
  let quote: { char: string; at: number } | null = null;
  let inToken = false;
  let quoted = false;
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
      quoted = true;
    } else if (/\s/.test(char)) {
      if (inToken) tokens.push({ text: current, quoted });
      current = "";
      inToken = false;
      quoted = false;
    } else {
      current += char;
      inToken = true;
    }
  }
  if (quote) return { tokens, unclosedAt: quote.at };
  if (inToken) tokens.push({ text: current, quoted });
  return { tokens, unclosedAt: null };
}

export interface ParsedArgs {
  positional: string[];
  /** Whether each positional word was quoted (given `Word`s; plain strings count as unquoted). */
  quoted: boolean[];
  /** Flag values; a flag given more than once keeps every value. */
  flags: Map<string, string[]>;
}

/** Separates `--flag value`, `--flag=value` and bare `--switch` from positional words. */
export function splitFlags(input: readonly (string | Word)[], switches: readonly string[]): ParsedArgs {
  const words = input.map((word) => (typeof word === "string" ? { text: word, quoted: false } : word));
  const tokens = words.map((word) => word.text);
  const positional: string[] = [];
  const quoted: boolean[] = [];
  const flags = new Map<string, string[]>();
  const add = (name: string, value: string) => flags.set(name, [...(flags.get(name) ?? []), value]);
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (!token.startsWith("--") || token.length === 2) {
      positional.push(token);
      quoted.push(words[index]!.quoted);
      continue;
    }
    const [name, inline] = token.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    if (inline !== undefined) add(name, inline);
    else if (switches.includes(name)) add(name, "true");
    else if (index + 1 < tokens.length) add(name, tokens[++index]!);
    else add(name, "");
  }
  return { positional, quoted, flags };
}
