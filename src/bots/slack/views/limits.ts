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

/** Escaping lives in slack-text.ts; re-exported here, where builders have always found it. */
export { escapeMrkdwn, mrkdwn } from "./slack-text.ts";
