import { cardActionActivity, type TeamsUser } from "../test/support/teams-activities.ts";
import { startFakes } from "./slack.ts";
import {
  ENGINES,
  databaseEnv,
  freshDatabase,
  median,
  meetsTarget,
  paired,
  pairedColumns,
  startServer,
  stopServer,
  warmUpWith,
  LOAD_SECONDS,
  RUNS,
  WARM_UP_REQUESTS,
  type BenchPart,
  type BenchTable,
  type ChildServer,
  type LoadSpec,
} from "./support.ts";

/**
 * A Teams card action: an Adaptive Card Action.Execute invoke (`adaptiveCard/action`) with
 * verb `case.show` on a case card (the card's refresh: repeatable, it writes nothing), whose
 * answer is the case card in the invoke response. The floor is a bare botbuilder CloudAdapter
 * answering the same invoke with a one-line card. Each server in its own process.
 */

const CONCURRENCIES = [1, 16];
const VERB = "case.show";

function teamsLoad(server: ChildServer, connectorUrl: string, user: TeamsUser, reference: string, floor: boolean): Omit<LoadSpec, "connections"> {
  return {
    origin: `http://127.0.0.1:${server.ready.port}`,
    path: "/api/messages",
    // Every invoke is unique: its own activity id and action id (a repeated id is a redelivery).
    build: () => ({ headers: { "content-type": "application/json; charset=utf-8" }, body: JSON.stringify(cardActionActivity(connectorUrl, user, VERB, { reference })) }),
    accept: (status, body) => status === 200 && body.includes("application/vnd.microsoft.card.adaptive") && (floor || body.includes(reference)),
    serverPid: server.pid,
  };
}

export async function run(): Promise<BenchPart> {
  const fakes = await startFakes();
  const connectorUrl = fakes.ready.connectorUrl!;
  const rows: BenchTable["rows"] = [];
  const figures: Record<string, { p50: number; rps: number; floorP50: number; floorRps: number }> = {};
  try {
    for (const engine of ENGINES) {
      const { target, drop } = await freshDatabase(engine);
      let postbag: ChildServer | undefined;
      let bare: ChildServer | undefined;
      try {
        postbag = await startServer("teams-postbag.ts", databaseEnv(target));
        bare = await startServer("teams-bare.ts", {});
        const user = JSON.parse(postbag.ready.user!) as TeamsUser;
        const ours = teamsLoad(postbag, connectorUrl, user, postbag.ready.reference!, false);
        const floor = teamsLoad(bare, connectorUrl, user, postbag.ready.reference!, true);
        await warmUpWith(ours);
        await warmUpWith(floor);
        for (const concurrency of CONCURRENCIES) {
          const result = await paired(ours, floor, concurrency);
          rows.push({ engine, "card action": `${VERB} (Action.Execute)`, concurrency, ...pairedColumns(result, "bare botbuilder"), "target ≤ 3×": meetsTarget(result, concurrency) });
          figures[`${engine} teams ${VERB} c${concurrency}`] = {
            p50: median(result.ours.map((r) => r.p50)),
            rps: median(result.ours.map((r) => r.rps)),
            floorP50: median(result.floor.map((r) => r.p50)),
            floorRps: median(result.floor.map((r) => r.rps)),
          };
          process.stderr.write(`teams ${engine} c${concurrency}: ${JSON.stringify(rows.at(-1))}\n`);
        }
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
        name: "Microsoft Teams: a card action, answered in the invoke response",
        note: `An Action.Execute invoke with verb \`${VERB}\` and the case's reference (repeatable, writes nothing), each with its own activity and action id; Postbag answers with the case card, the bare botbuilder CloudAdapter with a one-line card. Each server in its own process, autocannon in a third; ${RUNS} runs of ${LOAD_SECONDS} s each, in turn, after ${WARM_UP_REQUESTS} unmeasured requests to each; median (min–max). Target at concurrency 16: both ratios ≤ 3.`,
        rows,
      },
    ],
    figures,
  };
}
