import { decodeHTMLStrict } from "entities";

/**
 * Text as it arrives from Slack and Teams, turned into the words a person wrote — once, at
 * the edge, so the core stores `O’Brien & Sons` and never `O&#8217;Brien &amp; Sons`.
 * What a person types at the CLI or into a form field is taken literally and never passes here.
 */

/** HTML character references (`&amp;`, `&#8217;`, `&pound;`, `&nbsp;`) as the characters they stand for. */
export function decodeEntities(text: string): string {
  // A no-break space is a space to everyone reading or searching the text.
  return decodeHTMLStrict(text).replace(/\u00A0/g, " ");
}

/**
 * Slack's text markup (`should_escape` commands, message text) as plain words: a link
 * `<https://x|label>` reads as its label (or the address), `<mailto:a@b|a@b>` as the address,
 * a channel `<#C1|general>` as `#general`, `<!here>` as `@here`. A person `<@U123|name>`
 * becomes `userMention(id)`: the bare id by default, which the core looks staff up by.
 * Slack escapes only `&`, `<` and `>`; they are decoded after the markup is read, so text
 * someone typed as `<b>` stays `<b>`.
 */
export function slackText(text: string, options: { userMention?: (id: string) => string } = {}): string {
  const userMention = options.userMention ?? ((id: string) => id);
  const plain = text.replace(/<([^<>]*)>/g, (_whole, inner: string) => {
    const [target = "", label] = inner.split("|", 2) as [string, string | undefined];
    if (/^@[UW][A-Z0-9]+$/.test(target)) return userMention(target.slice(1));
    if (target.startsWith("#")) return label ? `#${label}` : target;
    if (target.startsWith("!")) return label ?? `@${target.slice(1).split("^")[0]}`;
    if (target.startsWith("mailto:")) return label ?? target.slice("mailto:".length);
    if (target.startsWith("tel:")) return label ?? target.slice("tel:".length);
    return label ?? target;
  });
  return decodeEntities(plain);
}

/**
 * A Teams message (HTML) as plain text: paragraphs and line breaks become new lines, other
 * tags go, character references are decoded. With `keepMentions`, `<at>Name</at>` stays for
 * the command reader, which resolves or strips each mention itself.
 */
export function teamsHtmlText(html: string, options: { keepMentions?: boolean } = {}): string {
  const withoutTags = html
    .replace(/<br\s*\/?>|<\/(p|div|li|h\d)>/gi, "\n")
    .replace(/<(\/?)([a-z][a-z0-9]*)\b[^>]*>/gi, (tag, _slash: string, name: string) => (options.keepMentions && name.toLowerCase() === "at" ? tag : ""));
  return decodeEntities(withoutTags)
    .replace(/[ \t]+\n/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}
