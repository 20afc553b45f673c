// A load generator in its own process: signed Slack commands and Teams messages against a
// running Postbag, 70% reads and 30% writes, bounded in time and count. Prints one JSON
// report on stdout. Configured by the LOADGEN environment variable (JSON).
import { randomUUID } from "node:crypto";
import { sendToSlackEndpoint, slashCommandBody } from "../../support/slack-requests.ts";
import { messageActivity, type TeamsUser } from "../../support/teams-activities.ts";

export interface LoadConfig {
  baseUrl: string;
  responseUrlBase: string;
  serviceUrl: string;
  slackUsers: string[];
  teamsUsers: TeamsUser[];
  references: string[];
  durationMs: number;
  maxRequests: number;
  concurrency: number;
  /** A tag in every written text, so each generator's writes can be found afterwards. */
  tag: string;
}

export interface Sample {
  op: string;
  platform: "slack" | "teams";
  status: number;
  ms: number;
  /** What a person would read: the Slack answer's text, or "" for Teams (its reply goes to the connector). */
  text: string;
  /** For writes: how to find it afterwards (the logged reference, or the note's unique text). */
  wrote?: { reference?: string; note?: string; triggerId?: string; command?: string; userId?: string };
}

const config = JSON.parse(process.env.LOADGEN ?? "{}") as LoadConfig;
const samples: Sample[] = [];
const pick = <T>(items: T[]) => items[Math.floor(Math.random() * items.length)]!;

async function slack(op: string, text: string, wrote?: Sample["wrote"]): Promise<void> {
  const triggerId = `${Date.now()}.${randomUUID()}`;
  const userId = pick(config.slackUsers);
  const body = slashCommandBody({ text, user_id: userId, response_url: `${config.responseUrlBase}/${randomUUID()}`, trigger_id: triggerId });
  const started = performance.now();
  try {
    const response = await sendToSlackEndpoint(`${config.baseUrl}/slack/events`, body, "application/x-www-form-urlencoded");
    const raw = await response.text();
    const answer = raw ? (JSON.parse(raw) as { text?: string }) : {};
    const ms = performance.now() - started;
    const reference = op === "slack-log" ? answer.text?.match(/Logged (PFCC-\d{4}-\d{4,})/)?.[1] : undefined;
    samples.push({ op, platform: "slack", status: response.status, ms, text: answer.text ?? "", wrote: wrote && { ...wrote, reference: reference ?? wrote.reference, triggerId, command: text, userId } });
  } catch (error) {
    samples.push({ op, platform: "slack", status: 0, ms: performance.now() - started, text: String((error as Error).cause ?? error) });
  }
}

async function teams(op: string, text: string, wrote?: Sample["wrote"]): Promise<void> {
  const activity = { ...messageActivity(config.serviceUrl, pick(config.teamsUsers), text), id: `1:${randomUUID()}` };
  const started = performance.now();
  try {
    const response = await fetch(`${config.baseUrl}/api/messages`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(activity) });
    await response.arrayBuffer();
    samples.push({ op, platform: "teams", status: response.status, ms: performance.now() - started, text: "", wrote });
  } catch (error) {
    samples.push({ op, platform: "teams", status: 0, ms: performance.now() - started, text: String((error as Error).cause ?? error) });
  }
}

let counter = 0;
async function one(): Promise<void> {
  const n = ++counter;
  const reference = pick(config.references);
  const roll = Math.random();
  if (roll < 0.3) return slack("slack-show", `show ${reference}`);
  if (roll < 0.45) return slack("slack-mine", "mine");
  if (roll < 0.55) return slack("slack-search", "search Jane");
  if (roll < 0.7) return teams("teams-show", `show ${reference}`);
  if (roll < 0.8) return slack("slack-log", `log letter 2026-11-19 "Load ${config.tag} ${n}" Load test letter ${n}`, {});
  if (roll < 0.9) {
    const note = `note ${config.tag}-${n}`;
    return slack("slack-note", `note ${reference} ${note}`, { reference, note });
  }
  const note = `teams ${config.tag}-${n}`;
  return teams("teams-note", `note ${reference} ${note}`, { reference, note });
}

const deadline = Date.now() + config.durationMs;
let sent = 0;
await Promise.all(
  Array.from({ length: config.concurrency }, async () => {
    while (Date.now() < deadline && sent < config.maxRequests) {
      sent += 1;
      await one();
    }
  }),
);
process.stdout.write(`${JSON.stringify(samples)}\n`);
