import type { KnownBlock } from "../../src/bots/slack/views/block-kit.ts";

/**
 * Block Kit as HTML that looks like a Slack message, for the README's screenshots: the block
 * types and elements Postbag's views use, and Slack's mrkdwn (bold, italic, strike, code, links,
 * emoji shortcodes, line breaks). A sketch of Slack's layout, not a copy of it; anything it does
 * not know is shown as a visible placeholder rather than dropped, so a new block type is noticed.
 */

export interface SlackMessageHtml {
  blocks: KnownBlock[];
}

/** The shortcodes Postbag's views use, as the Unicode emoji Slack draws for them. */
const EMOJI: Record<string, string> = {
  warning: "⚠️",
  stopwatch: "⏱️",
  red_circle: "🔴",
  large_orange_circle: "🟠",
  zzz: "💤",
  envelope: "✉️",
  grey_question: "❔",
  hourglass: "⌛",
  hourglass_flowing_sand: "⏳",
  white_check_mark: "✅",
  inbox_tray: "📥",
  memo: "📝",
  paperclip: "📎",
};

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Slack's own escapes (the only three it has) back to the characters they stand for. */
function unescapeSlack(text: string): string {
  return text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

/** Bold, italic, strike and emoji in a run of plain mrkdwn (already HTML-escaped, no code or links in it). */
function formatRun(html: string): string {
  const edge = "(^|[\\s(\\[{>“‘'\"•—–-])";
  const end = "(?=$|[\\s)\\]}.,;:!?'\"”’—–-]|&[a-z]+;)";
  return html
    .replace(new RegExp(`${edge}\\*(?=\\S)([^*\\n]*?\\S)\\*${end}`, "g"), "$1<b>$2</b>")
    .replace(new RegExp(`${edge}_(?=\\S)([^_\\n]*?\\S)_${end}`, "g"), "$1<i>$2</i>")
    .replace(new RegExp(`${edge}~(?=\\S)([^~\\n]*?\\S)~${end}`, "g"), "$1<s>$2</s>")
    .replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => (EMOJI[name] ? `<span class="emoji">${EMOJI[name]}</span>` : whole));
}

/** Slack mrkdwn as HTML: everything escaped, then only Slack's own marks made live. */
export function mrkdwnHtml(text: string): string {
  const pieces: string[] = [];
  // Links and mentions first (their `<…>` is real markup; escaped `&lt;` is text), then code spans.
  for (const [index, part] of text.split(/(<[^<>\n]+>)/).entries()) {
    if (index % 2 === 1) {
      const inner = part.slice(1, -1);
      const [target = "", label] = inner.split("|", 2);
      if (target.startsWith("@")) pieces.push(`<span class="mention">@${escapeHtml(label ?? target.slice(1))}</span>`);
      else if (target.startsWith("!")) pieces.push(`<span class="mention">@${escapeHtml(target.slice(1).split("^")[0]!)}</span>`);
      else if (target.startsWith("#")) pieces.push(`<span class="mention">#${escapeHtml(label ?? target.slice(1))}</span>`);
      else pieces.push(`<a href="${escapeHtml(unescapeSlack(target))}">${escapeHtml(unescapeSlack(label ?? target))}</a>`);
      continue;
    }
    const html = part
      .split(/(`[^`\n]+`)/)
      .map((run, at) => (at % 2 === 1 ? `<code>${escapeHtml(unescapeSlack(run.slice(1, -1)))}</code>` : formatRun(escapeHtml(unescapeSlack(run)))))
      .join("");
    pieces.push(html);
  }
  return pieces.join("").replace(/\n/g, "<br>");
}

type TextObject = { type: "plain_text" | "mrkdwn"; text: string; emoji?: boolean };

function textHtml(text: TextObject | undefined): string {
  if (!text) return "";
  return text.type === "mrkdwn" ? mrkdwnHtml(text.text) : escapeHtml(text.text).replace(/\n/g, "<br>");
}

function elementHtml(element: Record<string, any>): string {
  switch (element.type) {
    case "button": {
      const style = element.style === "primary" ? " primary" : element.style === "danger" ? " danger" : "";
      return `<span class="button${style}">${textHtml(element.text)}</span>`;
    }
    case "overflow":
      return `<span class="button overflow" title="${element.options?.length ?? 0} more">⋮</span>`;
    case "static_select":
    case "external_select":
    case "users_select":
    case "conversations_select":
    case "channels_select": {
      const chosen = element.initial_option?.text ?? element.placeholder;
      return `<span class="select">${textHtml(chosen) || "Select an item"}<span class="caret">▾</span></span>`;
    }
    case "datepicker":
      return `<span class="select">📅 ${escapeHtml(element.initial_date ?? "Select a date")}<span class="caret">▾</span></span>`;
    case "image":
      return `<img class="context-image" src="${escapeHtml(element.image_url)}" alt="${escapeHtml(element.alt_text ?? "")}">`;
    case "mrkdwn":
    case "plain_text":
      return `<span>${textHtml(element as TextObject)}</span>`;
    default:
      return `<span class="unknown">[${escapeHtml(String(element.type))}]</span>`;
  }
}

function blockHtml(block: Record<string, any>): string {
  switch (block.type) {
    case "header":
      return `<div class="block header">${textHtml(block.text)}</div>`;
    case "divider":
      return `<hr class="block divider">`;
    case "section": {
      const fields = block.fields?.length ? `<div class="fields">${block.fields.map((field: TextObject) => `<div class="field">${textHtml(field)}</div>`).join("")}</div>` : "";
      const text = block.text ? `<div class="text">${textHtml(block.text)}</div>` : "";
      const accessory = block.accessory ? `<div class="accessory">${elementHtml(block.accessory)}</div>` : "";
      return `<div class="block section"><div class="section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case "context":
      return `<div class="block context">${block.elements.map((element: Record<string, any>) => elementHtml(element)).join("")}</div>`;
    case "actions":
      return `<div class="block actions">${block.elements.map((element: Record<string, any>) => elementHtml(element)).join("")}</div>`;
    case "image":
      return `<div class="block image">${block.title ? `<div class="image-title">${textHtml(block.title)}</div>` : ""}<img src="${escapeHtml(block.image_url)}" alt="${escapeHtml(block.alt_text ?? "")}"></div>`;
    case "input":
      return `<div class="block input"><div class="label">${textHtml(block.label)}</div>${elementHtml(block.element)}</div>`;
    default:
      return `<div class="block unknown">[${escapeHtml(String(block.type))} block]</div>`;
  }
}

const STYLE = `
  * { box-sizing: border-box; }
  html, body { margin: 0; background: #fff; }
  body { font-family: Lato, "Noto Color Emoji", "Liberation Sans", sans-serif; color: #1d1c1d; font-size: 15px; line-height: 1.46668; -webkit-font-smoothing: antialiased; }
  #shot { padding: 8px 0 16px; width: 100%; }
  .channel { display: flex; align-items: center; gap: 8px; height: 49px; padding: 0 20px; border-bottom: 1px solid #e2e2e2; font-weight: 900; font-size: 18px; }
  .channel .topic { font-weight: 400; font-size: 13px; color: #616061; }
  .divider-label { display: flex; align-items: center; gap: 12px; margin: 8px 20px; color: #616061; font-size: 13px; font-weight: 700; }
  .divider-label::before, .divider-label::after { content: ""; flex: 1; border-top: 1px solid #e2e2e2; }
  .message { display: flex; gap: 8px; padding: 8px 20px; }
  .message.continued { padding-top: 2px; }
  .avatar { flex: 0 0 36px; width: 36px; height: 36px; border-radius: 6px; margin-top: 4px; }
  .continued .avatar { visibility: hidden; height: 0; }
  .body { flex: 1; min-width: 0; }
  .sender { display: flex; align-items: baseline; gap: 6px; }
  .sender .name { font-weight: 900; }
  .sender .badge { font-size: 10px; font-weight: 700; color: #616061; background: rgba(29,28,29,.13); border-radius: 2px; padding: 1px 3px; line-height: 1.25; position: relative; top: -1px; }
  .sender .time { font-size: 12px; color: #616061; }
  .block { margin: 4px 0; max-width: 760px; }
  .header { font-size: 18px; font-weight: 900; line-height: 1.33; margin: 8px 0 6px; }
  .section { display: flex; gap: 12px; align-items: flex-start; }
  .section-body { flex: 1; min-width: 0; }
  .fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 16px; row-gap: 8px; margin-top: 8px; }
  .text + .fields { margin-top: 8px; }
  .section-body > .fields:first-child { margin-top: 0; }
  .accessory { flex: 0 0 auto; }
  .context { display: flex; flex-wrap: wrap; gap: 2px 10px; font-size: 13px; color: #616061; line-height: 1.38; }
  .context b { color: #1d1c1d; }
  .actions { display: flex; flex-wrap: wrap; gap: 8px; margin-top: 8px; }
  .button { display: inline-flex; align-items: center; height: 28px; padding: 0 12px; border: 1px solid rgba(29,28,29,.3); border-radius: 4px; font-size: 13px; font-weight: 700; background: #fff; white-space: nowrap; }
  .button.primary { background: #007a5a; border-color: #007a5a; color: #fff; }
  .button.danger { background: #fff; border-color: rgba(224,30,90,.6); color: #e01e5a; }
  .button.overflow { padding: 0 8px; font-size: 16px; }
  .select { display: inline-flex; align-items: center; gap: 16px; height: 28px; padding: 0 10px; border: 1px solid rgba(29,28,29,.3); border-radius: 4px; font-size: 13px; color: #616061; }
  .divider { border: 0; border-top: 1px solid #dddddd; margin: 12px 0; }
  .image img { max-width: 360px; border-radius: 8px; border: 1px solid #e2e2e2; }
  .image-title { font-size: 13px; color: #616061; }
  .context-image { width: 20px; height: 20px; border-radius: 4px; }
  a { color: #1264a3; text-decoration: none; }
  code { font-family: Monaco, Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12px; color: #e01e5a; background: rgba(29,28,29,.04); border: 1px solid rgba(29,28,29,.13); border-radius: 3px; padding: 2px 3px 1px; }
  .mention { color: #1264a3; background: rgba(29,155,209,.1); border-radius: 3px; padding: 0 2px; }
  .emoji { font-family: "Noto Color Emoji", sans-serif; font-size: 1.05em; }
  .unknown { color: #e01e5a; font-style: italic; }
`;

/** Where the messages are: the channel or chat heading the screenshot, and a divider label before some of them (a thread). */
export interface SlackPageOptions {
  channel: string;
  topic?: string;
  time: string;
  /** The app's icon (a file: URL), shown as the sender's picture. */
  icon: string;
  /** Divider labels by the index of the message they come before ("3 replies"). */
  labels?: Record<number, string>;
}

/** A page of consecutive messages from Postbag, as Slack groups them under one name. */
export function blockKitPage(messages: SlackMessageHtml[], options: SlackPageOptions): string {
  const rows = messages.map((message, index) => {
    const label = options.labels?.[index];
    const first = index === 0 || label !== undefined;
    const sender = first ? `<div class="sender"><span class="name">Postbag</span><span class="badge">APP</span><span class="time">${escapeHtml(options.time)}</span></div>` : "";
    const blocks = message.blocks.map((block) => blockHtml(block as Record<string, any>)).join("");
    return `${label ? `<div class="divider-label">${escapeHtml(label)}</div>` : ""}<div class="message${first ? "" : " continued"}"><img class="avatar" src="${escapeHtml(options.icon)}" alt=""><div class="body">${sender}${blocks}</div></div>`;
  });
  const topic = options.topic ? `<span class="topic">${escapeHtml(options.topic)}</span>` : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.channel)}</title><style>${STYLE}</style></head>
<body><div id="shot"><div class="channel">${escapeHtml(options.channel)}${topic}</div>${rows.join("\n")}</div></body></html>`;
}
