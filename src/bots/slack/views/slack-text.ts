/**
 * Words from outside — a constituent's subject, a pasted message, a name someone typed, a search
 * echoed back — as Slack shows them: as typed, with nothing live. The one place Postbag escapes
 * what it sends to Slack; our own markup (bold labels, emoji, code fences) goes around what these
 * return, never through them.
 *
 * Slack reads `&`, `<` and `>` as control characters in mrkdwn and in a message's top-level
 * `text` alike (the notification text: a `<!here>` there notifies the channel), so escaped,
 * `<!here>`, `<@U…>`, `<#C…>` and `<https://x|label>` show as typed. Slack has no escape for its
 * formatting marks: a mark that could open or close formatting — `*` or `_` other than between two
 * letters or digits (`john_smith@example.org` stays as it is), any `~` or backtick — is shown as a
 * look-alike, and a line that starts with `>` gets a zero-width space so it is not a quote.
 * `plain_text` objects and input values are not mrkdwn and take the words as they are.
 */

/** Look-alikes Slack does not read as formatting marks. */
export const SLACK_LOOKALIKES: Readonly<Record<string, string>> = { "*": "∗", _: "ˍ", "~": "∼", "`": "ˋ" };

const ZERO_WIDTH_SPACE = "\u200B";

function isLetterOrDigit(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}]/u.test(char);
}

function escapeControls(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Words as mrkdwn (or a message's top-level `text`) that shows them as typed: no mention, link or formatting. */
export function escapeMrkdwn(text: string): string {
  const marksInert = text.replace(/[*_~`]/g, (mark, at: number, whole: string) =>
    (mark === "*" || mark === "_") && isLetterOrDigit(whole[at - 1]) && isLetterOrDigit(whole[at + 1]) ? mark : SLACK_LOOKALIKES[mark]!,
  );
  return escapeControls(marksInert).replace(/^([ \t]*)&gt;/gm, `$1${ZERO_WIDTH_SPACE}&gt;`);
}

/** Escaped and clipped for a mrkdwn text object, the escaping counted in the length. */
export function mrkdwn(text: string, max: number): string {
  const escaped = escapeMrkdwn(text);
  if (escaped.length <= max) return escaped;
  // Never end on half an entity: `&lt` without its `;` would show as typed.
  return `${escaped.slice(0, max - 1)}…`.replace(/&[a-z]*…$/, "…");
}

/** Words shown inside our own code span or code block: escaped, and no backtick to end it early. */
export function slackCode(text: string): string {
  return escapeControls(text).replace(/`/g, SLACK_LOOKALIKES["`"]!);
}
