import { randomUUID } from "node:crypto";
import { sign, SIGNING_SECRET, slashCommandBody } from "../test/support/slack-requests.ts";
import {
  ENGINES,
  databaseEnv,
  freshDatabase,
  loadWith,
  paired,
  pairedColumns,
  spread,
  startServer,
  stopServer,
  warmUpWith,
  median,
  meetsTarget,
  LOAD_SECONDS,
  RUNS,
  WARM_UP_REQUESTS,
  type BenchPart,
  type BenchTable,
  type BuiltRequest,
  type ChildServer,
  type Engine,
  type LoadSpec,
} from "./support.ts";

/**
 * /case show and /case log through the real HTTP receiver with signature checks, Postbag
 * against a bare Bolt app, each server in its own process, loaded by autocannon from this one.
 * Postbag's answer rides in the acknowledgement; the floor acks empty.
 */

export const CONCURRENCIES = [1, 16];
export const COMMANDS = ["show", "log"] as const;
export type SlackCommand = (typeof COMMANDS)[number];

/** A freshly signed /case request; `log` gives every request its own constituent, so each really logs a case. */
export function slackRequest(command: SlackCommand, reference: string, responseBase: string, index: number): BuiltRequest {
  const unique = `${process.pid}-${index}-${randomUUID().slice(0, 8)}`;
  const text = command === "show" ? `show ${reference}` : `log letter 2026-11-19 "Bench Person ${unique}" Bench subject ${index}`;
  const body = slashCommandBody({ text, user_id: "UBENCH", response_url: `${responseBase}/response/${unique}` });
  const timestamp = Math.floor(Date.now() / 1000);
  return {
    headers: { "content-type": "application/x-www-form-urlencoded", "x-slack-request-timestamp": String(timestamp), "x-slack-signature": sign(body, timestamp) },
    body,
  };
}

/** Postbag's answer must be there and be the case (a "which person?" or a refusal is an error). */
export const postbagAnswered = (status: number, body: string) => status === 200 && /PFCC-\d{4}-\d+/.test(body) && !/which person|not permitted/i.test(body);
const floorAcked = (status: number) => status === 200;

export async function startFakes(): Promise<ChildServer> {
  return startServer("fakes.ts", {});
}

export function slackEnv(fakes: ChildServer): Record<string, string> {
  return { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: "xoxb-bench", SLACK_API_URL: fakes.ready.slackApiUrl! };
}

export function slackLoad(server: ChildServer, command: SlackCommand, fakes: ChildServer, floor: boolean): Omit<LoadSpec, "connections"> {
  return {
    origin: `http://127.0.0.1:${server.ready.port}`,
    path: "/slack/events",
    build: (index) => slackRequest(command, server.ready.reference ?? "PFCC-2026-0001", fakes.ready.slackUrl!, index),
    accept: floor ? floorAcked : postbagAnswered,
    serverPid: server.pid,
  };
}

export async function run(): Promise<BenchPart> {
  const fakes = await startFakes();
  const rows: BenchTable["rows"] = [];
  const saturation: BenchTable["rows"] = [];
  const figures: Record<string, { p50: number; rps: number; floorP50: number; floorRps: number }> = {};
  try {
    for (const engine of ENGINES) {
      const { target, drop } = await freshDatabase(engine);
      let postbag: ChildServer | undefined;
      let bare: ChildServer | undefined;
      try {
        postbag = await startServer("slack-postbag.ts", { ...slackEnv(fakes), ...databaseEnv(target) });
        bare = await startServer("slack-bare.ts", slackEnv(fakes));
        for (const command of COMMANDS) {
          const ours = slackLoad(postbag, command, fakes, false);
          const floor = slackLoad(bare, command, fakes, true);
          await warmUpWith(ours);
          await warmUpWith(floor);
          for (const concurrency of CONCURRENCIES) {
            const result = await paired(ours, floor, concurrency);
            rows.push({ engine, command: `/case ${command}`, concurrency, ...pairedColumns(result, "bare Bolt"), "target ≤ 3×": meetsTarget(result, concurrency) });
            figures[key(engine, command, concurrency)] = {
              p50: median(result.ours.map((r) => r.p50)),
              rps: median(result.ours.map((r) => r.rps)),
              floorP50: median(result.floor.map((r) => r.p50)),
              floorRps: median(result.floor.map((r) => r.rps)),
            };
            process.stderr.write(`slack ${engine} ${command} c${concurrency}: ${JSON.stringify(rows.at(-1))}\n`);
          }
        }
        // Is the floor the server's limit, not the client's? More connections must not raise it.
        if (engine === ENGINES[0]) saturation.push(...(await floorSaturation(slackLoad(bare, "show", fakes, true))));
      } finally {
        await stopServer(postbag);
        await stopServer(bare);
        await drop();
      }
    }
  } finally {
    await stopServer(fakes);
  }
  return {
    tables: [
      {
        name: "Slack /case through the real receiver",
        note: `Postbag: until the answer arrives (in the ack); bare Bolt: until its empty ack. Each server in its own process; autocannon in a third. ${RUNS} runs of ${LOAD_SECONDS} s each, Postbag and floor in turn, after ${WARM_UP_REQUESTS} unmeasured requests to each; median (min–max). p50 ratio: Postbag's p50 over the floor's; throughput ratio: the floor's req/s over Postbag's. CPU %: of one core, Postbag run / floor run. Target at concurrency 16: both ratios ≤ 3.`,
        rows,
      },
      {
        name: "Is the Slack floor saturated?",
        note: "The bare Bolt app under /case show at rising concurrency, one run each: if more connections do not raise its req/s while its server process holds a core and the client has headroom, the server, not the client, is the limit.",
        rows: saturation,
      },
    ],
    figures,
  };
}

export function key(engine: Engine, command: string, concurrency: number): string {
  return `${engine} /case ${command} c${concurrency}`;
}

/** The floor at 16, 32 and 64 connections. */
export async function floorSaturation(floor: Omit<LoadSpec, "connections">): Promise<BenchTable["rows"]> {
  const rows: BenchTable["rows"] = [];
  for (const connections of [16, 32, 64]) {
    const result = await loadWith({ ...floor, connections });
    rows.push({
      connections,
      "req/s": result.rps.toFixed(0),
      "p50 ms": result.p50.toFixed(2),
      "server CPU %": result.serverCpu.toFixed(0),
      "client CPU %": result.clientCpu.toFixed(0),
      errors: result.errors,
    });
  }
  return rows;
}

export { spread };
