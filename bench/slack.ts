import { fileURLToPath } from "node:url";
import { FakeSlack } from "../test/support/fake-slack.ts";
import { sendToSlackEndpoint, SIGNING_SECRET, slashCommandBody } from "../test/support/slack-requests.ts";
import { load, percentile, spread, startServer, stopServer, warmUp, WARM_UP_REQUESTS, type BenchTable } from "./support.ts";

/**
 * /case show and /case log through the real HTTP receiver with signature checks, from
 * this process against a server in another. Postbag's latency is until the person has
 * the answer (it rides in the acknowledgement); the floor is a bare Bolt app that only
 * acks the same request.
 */

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PLAN = [
  { concurrency: 1, total: 500 },
  { concurrency: 16, total: 2000 },
];

export async function run(): Promise<BenchTable> {
  const slack = await new FakeSlack().start();
  const env = { SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: "xoxb-bench", SLACK_API_URL: slack.apiUrl };
  const postbag = await startServer(fileURLToPath(new URL("./servers/slack-postbag.ts", import.meta.url)), env);
  const bare = await startServer(fileURLToPath(new URL("./servers/slack-bare.ts", import.meta.url)), env);
  const rows: BenchTable["rows"] = [];
  try {
    for (const command of ["show PFCC-2026-0001", 'log letter 2026-11-19 "Bench Person" Bench subject']) {
      const send = async (port: number) => {
        const response = await sendToSlackEndpoint(`http://127.0.0.1:${port}/slack/events`, slashCommandBody({ text: command, user_id: "UBENCH", response_url: slack.responseUrl() }), "application/x-www-form-urlencoded");
        if (response.status !== 200) throw new Error(String(response.status));
        await response.arrayBuffer();
      };
      await warmUp(() => send(postbag.port));
      await warmUp(() => send(bare.port));
      slack.responses.length = 0;
      for (const { concurrency, total } of PLAN) {
        const ours = { p50: [] as number[], p99: [] as number[], rps: [] as number[], errors: 0 };
        const floor = { p50: [] as number[], p99: [] as number[], rps: [] as number[] };
        for (let runIndex = 0; runIndex < RUNS; runIndex += 1) {
          const answered = await load(async () => {
            const responseUrl = slack.responseUrl();
            const answer = slack.nextResponse(responseUrl);
            const response = await sendToSlackEndpoint(`http://127.0.0.1:${postbag.port}/slack/events`, slashCommandBody({ text: command, user_id: "UBENCH", response_url: responseUrl }), "application/x-www-form-urlencoded");
            if (response.status !== 200) throw new Error(String(response.status));
            // The answer rides in the acknowledgement when the work fits Slack's window; otherwise it follows.
            if (!(await response.text())) await answer;
          }, total, concurrency);
          const acked = await load(() => send(bare.port), total, concurrency);
          ours.p50.push(percentile(answered.latenciesMs, 50));
          ours.p99.push(percentile(answered.latenciesMs, 99));
          ours.rps.push(answered.latenciesMs.length / answered.seconds);
          ours.errors += answered.errors;
          floor.p50.push(percentile(acked.latenciesMs, 50));
          floor.p99.push(percentile(acked.latenciesMs, 99));
          floor.rps.push(acked.latenciesMs.length / acked.seconds);
          slack.responses.length = 0;
        }
        const ratio = ours.p99.map((p99, i) => p99 / floor.p99[i]!);
        rows.push({
          command: `/case ${command.split(" ")[0]}`,
          concurrency,
          "Postbag p50 ms": spread(ours.p50),
          "Postbag p99 ms": spread(ours.p99),
          "Postbag req/s": spread(ours.rps, 0),
          "bare Bolt p50 ms": spread(floor.p50),
          "bare Bolt p99 ms": spread(floor.p99),
          "bare Bolt req/s": spread(floor.rps, 0),
          "p99 ratio": spread(ratio, 2),
          errors: ours.errors,
        });
      }
    }
  } finally {
    await stopServer(postbag.child);
    await stopServer(bare.child);
    await slack.stop();
  }
  return {
    name: "Slack /case through the real receiver (embedded database)",
    note: `Postbag: until the answer arrives (in the ack); bare Bolt: until an empty ack. ${RUNS} runs each after ${WARM_UP_REQUESTS} unmeasured requests to each server; median (min–max). Target: p99 < 50 ms at concurrency 16, ratio ≤ 3.`,
    rows,
  };
}
