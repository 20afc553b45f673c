import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import type { AdaptiveCard } from "../../src/bots/teams/cards/adaptive-card.ts";

/**
 * Adaptive Cards as a page that looks like a Teams chat, for the README's screenshots: each card
 * rendered in the browser by Microsoft's own `adaptivecards` renderer (the dist bundle, as on Node)
 * with a host config close to Teams' light theme, and the CommonMark subset Teams reads in text
 * (backslash escapes, bold, italic, links, line breaks), which the renderer leaves to its host.
 */

const require = createRequire(import.meta.url);
const RENDERER = pathToFileURL(require.resolve("adaptivecards/dist/adaptivecards.js")).href;

const FONT = "'Segoe UI', 'Liberation Sans', Lato, 'Noto Color Emoji', sans-serif";
const MONO = "Consolas, 'Liberation Mono', 'DejaVu Sans Mono', monospace";

const colours = (foreground: string, subtle: string) => ({ default: foreground, subtle });

/** Teams' light theme, near enough: its fonts, sizes, colours and spacing. */
export const TEAMS_HOST_CONFIG = {
  supportsInteractivity: true,
  fontTypes: {
    default: { fontFamily: FONT, fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 }, fontWeights: { lighter: 300, default: 400, bolder: 600 } },
    monospace: { fontFamily: MONO, fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 }, fontWeights: { lighter: 300, default: 400, bolder: 600 } },
  },
  spacing: { small: 8, default: 12, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: "#E0E0E0" },
  lineHeights: { small: 16, default: 20, medium: 20, large: 24, extraLarge: 32 },
  containerStyles: {
    default: {
      backgroundColor: "#FFFFFF",
      foregroundColors: {
        default: colours("#242424", "#616161"),
        dark: colours("#242424", "#616161"),
        light: colours("#FFFFFF", "#FFFFFF"),
        accent: colours("#5B5FC7", "#7579EB"),
        good: colours("#0E700E", "#107C10"),
        warning: colours("#835B00", "#8A6A00"),
        attention: colours("#C4314B", "#C4314B"),
      },
    },
    emphasis: {
      backgroundColor: "#F5F5F5",
      foregroundColors: {
        default: colours("#242424", "#616161"),
        accent: colours("#5B5FC7", "#7579EB"),
        good: colours("#0E700E", "#107C10"),
        warning: colours("#835B00", "#8A6A00"),
        attention: colours("#C4314B", "#C4314B"),
      },
    },
  },
  textStyles: { heading: { size: "Large", weight: "Bolder", color: "Default", fontType: "Default", isSubtle: false }, columnHeader: { size: "Default", weight: "Bolder" } },
  actions: {
    maxActions: 6,
    spacing: "Default",
    buttonSpacing: 8,
    showCard: { actionMode: "Inline", inlineTopMargin: 12, style: "emphasis" },
    actionsOrientation: "Horizontal",
    actionAlignment: "Left",
    iconPlacement: "LeftOfTitle",
    iconSize: 16,
  },
  factSet: { title: { size: "Default", color: "Default", isSubtle: false, weight: "Bolder", wrap: true, maxWidth: 150 }, value: { size: "Default", color: "Default", isSubtle: false, weight: "Default", wrap: true }, spacing: 12 },
  imageSizes: { small: 32, medium: 52, large: 100 },
  table: { cellSpacing: 8 },
};

/** Teams' markdown, run in the page: escape all, then only what Teams formats. */
const MARKDOWN = String.raw`
function teamsMarkdown(text) {
  const kept = [];
  const keep = (html) => "\u0000" + (kept.push(html) - 1) + "\u0001";
  const escape = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  let s = text.replace(/\\([!-\/:-@\[-\x60{-~])/g, (_, c) => keep(escape(c)));
  s = escape(s);
  s = s.replace(/\[([^\]\n]+)\]\(([^)\s]+)\)/g, (_, label, url) => keep('<a href="' + url + '">') + label + keep("</a>"));
  s = s.replace(/\*\*(?=\S)([^\n]*?\S)\*\*/g, "<strong>$1</strong>");
  s = s.replace(/(^|[^\w*])\*(?=\S)([^*\n]*?\S)\*(?![\w*])/g, "$1<em>$2</em>");
  s = s.replace(/(^|[^\w])_(?=\S)([^_\n]*?\S)_(?!\w)/g, "$1<em>$2</em>");
  s = s.replace(/^[-*+] /gm, "• ");
  s = s.replace(/\n/g, "<br>");
  return s.replace(/\u0000(\d+)\u0001/g, (_, i) => kept[Number(i)]);
}
`;

const STYLE = `
  * { box-sizing: border-box; }
  html, body { margin: 0; background: #F5F5F5; }
  body { font-family: ${FONT}; color: #242424; font-size: 14px; -webkit-font-smoothing: antialiased; }
  #shot { padding: 0 0 20px; width: 100%; }
  .chat { display: flex; align-items: center; gap: 10px; height: 52px; padding: 0 20px; background: #FFFFFF; border-bottom: 1px solid #E0E0E0; font-weight: 600; font-size: 16px; }
  .chat img { width: 28px; height: 28px; border-radius: 4px; }
  .chat .tab { font-weight: 400; font-size: 14px; color: #616161; margin-left: 12px; border-bottom: 2px solid #5B5FC7; padding-bottom: 2px; }
  .message { display: flex; gap: 10px; padding: 16px 20px 0; }
  .message.continued { padding-top: 6px; }
  .avatar { flex: 0 0 32px; width: 32px; height: 32px; border-radius: 50%; }
  .continued .avatar { visibility: hidden; height: 0; }
  .bubble { flex: 1; min-width: 0; background: #FFFFFF; border-radius: 6px; box-shadow: 0 1px 2px rgba(0,0,0,.14), 0 0 2px rgba(0,0,0,.12); overflow: hidden; }
  .meta { display: flex; gap: 10px; font-size: 12px; color: #616161; padding: 10px 16px 0; }
  .meta .name { font-weight: 600; color: #242424; }
  .continued .meta { display: none; }
  .ac-adaptiveCard { font-family: ${FONT}; }
  .ac-adaptiveCard a { color: #5B5FC7; }
  .ac-pushButton { font-family: ${FONT}; font-size: 14px; font-weight: 600; height: 32px; min-width: 80px; padding: 0 12px; color: #242424; background: #FFFFFF; border: 1px solid #D1D1D1; border-radius: 4px; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; cursor: pointer; }
  .ac-pushButton.style-positive { background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }
  .ac-pushButton.style-destructive { color: #C4314B; }
  .ac-fact-title { padding-right: 12px; }
`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** Where the cards are: the chat heading the screenshot and when they were posted. */
export interface TeamsPageOptions {
  chat: string;
  time: string;
  /** The app's icon (a file: URL), shown as the sender's picture. */
  icon: string;
}

/** A page of consecutive cards from Postbag, as Teams shows a bot's messages in a chat. */
export function adaptiveCardPage(cards: AdaptiveCard[], options: TeamsPageOptions): string {
  const rows = cards.map(
    (_, index) =>
      `<div class="message${index === 0 ? "" : " continued"}"><img class="avatar" src="${escapeHtml(options.icon)}" alt=""><div class="bubble"><div class="meta"><span class="name">Postbag</span><span>${escapeHtml(options.time)}</span></div><div class="card" id="card-${index}"></div></div></div>`,
  );
  // The cards' JSON goes in as data, never as markup: `<` is escaped so no card text can end the script.
  const data = JSON.stringify({ cards, hostConfig: TEAMS_HOST_CONFIG }).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(options.chat)}</title><style>${STYLE}</style>
<script src="${RENDERER}"></script></head>
<body><div id="shot"><div class="chat"><img src="${escapeHtml(options.icon)}" alt="">${escapeHtml(options.chat)}<span class="tab">Chat</span></div>${rows.join("\n")}</div>
<script>
${MARKDOWN}
const { cards, hostConfig } = ${data};
AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => { result.outputHtml = teamsMarkdown(text); result.didProcess = true; };
const problems = [];
cards.forEach((json, index) => {
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  const context = new AdaptiveCards.SerializationContext();
  card.parse(json, context);
  for (let at = 0; at < context.eventCount; at += 1) problems.push("card " + index + ": " + context.getEventAt(at).message);
  const rendered = card.render();
  if (!rendered) problems.push("card " + index + " did not render");
  else document.getElementById("card-" + index).appendChild(rendered);
});
document.body.dataset.problems = JSON.stringify(problems);
</script></body></html>`;
}
