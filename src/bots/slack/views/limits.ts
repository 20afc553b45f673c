/** Slack's Block Kit limits (PLATFORM.md), and trimming that says it trimmed. */
export const LIMITS = {
  messageBlocks: 50,
  modalBlocks: 100,
  sectionText: 3000,
  fieldText: 2000,
  fields: 10,
  header: 150,
  buttonText: 75,
  buttonValue: 2000,
  optionText: 75,
  modalTitle: 24,
  privateMetadata: 3000,
  contextElementText: 2000,
  plainInputInitial: 3000,
} as const;

export function clip(text: string, max: number, marker = "…"): string {
  return text.length <= max ? text : `${text.slice(0, max - marker.length)}${marker}`;
}

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Escaped and clipped for a mrkdwn text object, the escaping counted in the length. */
export function mrkdwn(text: string, max: number): string {
  return clip(escapeMrkdwn(text), max).replace(/&[a-z]*…$/, "…");
}
