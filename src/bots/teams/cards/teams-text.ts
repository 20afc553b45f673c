/**
 * Words from outside — a constituent's subject, a pasted message, a name someone typed, a search
 * echoed back — as Teams shows them: as typed, with nothing live. The one place Postbag escapes
 * what it sends to Teams; our own markdown (bold labels) goes around what this returns.
 *
 * Adaptive Card TextBlocks and Fact titles and values, and a message's plain `text`, are read
 * as markdown (CommonMark, as Teams renders it), where a backslash makes any ASCII punctuation
 * itself. So every mark that could format, link or tag — `* _ ~ \` [ ] < >` and the backslash
 * itself — is escaped wherever it is, a `(` after a `]` (Teams mobile reads `[a\](b)` as a link
 * unless that is escaped too), and `#`, `-`, `+` or `1.` where a line begins (a heading or a list). `<at>Someone</at>` shows as typed, never as a mention; `&lt;` typed as such stays
 * `&lt;`; `{{DATE(…)}}` is not turned into a date. Input values, choice titles and an activity's
 * `summary` are not markdown and take the words as they are.
 */

/** Escaped for a TextBlock, a Fact or a message's text; clipped first (so an escape is never cut) when `max` is given. */
export function teamsText(text: string, max?: number): string {
  const clipped = max !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return clipped
    .replace(/[\\`*_~[\]<>]/g, "\\$&")
    .replace(/\\\]\(/g, "\\]\\(")
    .replace(/&(?=#?[a-z0-9]+;)/gi, "\\&")
    .replace(/\{\{/g, "{\\{")
    .replace(/^([ \t]*)([#+-])/gm, "$1\\$2")
    .replace(/^([ \t]*\d+)\./gm, "$1\\.");
}

/**
 * Escaped for the `text` of a hero or thumbnail card (a search result's preview), which Teams
 * reads as a subset of XML/HTML, not markdown; their `title` is not formatted at all.
 */
export function teamsCardXml(text: string, max?: number): string {
  const clipped = max !== undefined && text.length > max ? `${text.slice(0, max - 1)}…` : text;
  return clipped.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
