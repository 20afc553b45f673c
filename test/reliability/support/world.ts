import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostbag, type Postbag } from "../../../src/app.ts";
import type { DatabaseTarget } from "../../../src/db/database.ts";
import { TEST_SETTINGS, type TestDatabase } from "../../support/databases.ts";
import { FakeBotConnector } from "../../support/fake-bot-connector.ts";
import { FakeSlack } from "../../support/fake-slack.ts";
import { SIGNING_SECRET } from "../../support/slack-requests.ts";
import { teamsUser, type TeamsUser } from "../../support/teams-activities.ts";
import type { LoadConfig, Sample } from "./load-generator.ts";

/** Everything outside Postbag for a reliability run: fakes, a seeded database, and how to inspect it. */
export class World {
  readonly slack = new FakeSlack();
  readonly connector = new FakeBotConnector();
  readonly slackUsers = ["ULOADA", "ULOADB"];
  readonly teamsUsers: TeamsUser[] = [teamsUser("Tess Teams"), teamsUser("Theo Teams")];
  references: string[] = [];
  target!: DatabaseTarget;
  private dataDir?: string;
  private drop: () => Promise<void> = async () => {};

  static async create(database: TestDatabase): Promise<World> {
    const world = new World();
    await world.slack.start();
    await world.connector.start();
    if (database.engine === "pglite") {
      world.dataDir = mkdtempSync(join(tmpdir(), "postbag-reliability-"));
      world.target = { dataDir: world.dataDir };
    } else {
      const created = await database.create();
      world.target = created.target;
      world.drop = created.drop;
    }
    await world.withPostbag(async (postbag) => {
      const staff = postbag.core.staff;
      const { staff: admin } = await staff.registerStaff(null, { name: "Ada Admin", roles: "admin,manager,caseworker", slackUserId: "UADMIN" });
      for (const [index, id] of world.slackUsers.entries()) await staff.registerStaff(admin, { name: `Slack Worker ${index}`, roles: "manager,caseworker", slackUserId: id });
      for (const user of world.teamsUsers) await staff.registerStaff(admin, { name: user.name, roles: "manager,caseworker", teamsUserId: user.aadObjectId });
      for (let i = 0; i < 5; i += 1) {
        const view = await postbag.core.cases.logCase(admin, { channel: "letter", receivedOn: "2026-11-19", constituent: { name: `Jane Seed ${i}` }, subject: `Seed case ${i}` }, { platform: "cli" });
        world.references.push(view.reference);
      }
    });
    return world;
  }

  /** The environment a Postbag process needs to use this world. */
  env(): Record<string, string> {
    return {
      ...("url" in this.target ? { DATABASE_URL: this.target.url } : { POSTBAG_DATA_DIR: (this.target as { dataDir: string }).dataDir }),
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      SLACK_BOT_TOKEN: "xoxb-reliability",
      SLACK_API_URL: this.slack.apiUrl,
    };
  }

  loadConfig(baseUrl: string, overrides: Partial<LoadConfig>): LoadConfig {
    return {
      baseUrl,
      responseUrlBase: `${this.slack.url}/response`,
      serviceUrl: this.connector.url,
      slackUsers: this.slackUsers,
      teamsUsers: this.teamsUsers,
      references: this.references,
      durationMs: 5_000,
      maxRequests: 1_000,
      concurrency: 8,
      tag: "load",
      ...overrides,
    };
  }

  /** Opens the database directly. For the embedded database, only while no Postbag process holds it. */
  async withPostbag<T>(work: (postbag: Postbag) => Promise<T>): Promise<T> {
    const postbag = await openPostbag(this.target, TEST_SETTINGS);
    try {
      return await work(postbag);
    } finally {
      await postbag.close();
    }
  }

  /**
   * Reads the database while a Postbag process runs. PostgreSQL allows a second client;
   * the embedded database belongs to the process, so it is stopped, read, and restarted.
   */
  async withPostbagWhileRunning<T>(running: { kill(signal?: NodeJS.Signals): Promise<void> }, work: (prisma: Postbag["db"]["prisma"]) => Promise<T>): Promise<T> {
    if ("url" in this.target) return this.withPostbag((postbag) => work(postbag.db.prisma));
    await running.kill("SIGTERM");
    return this.withPostbag((postbag) => work(postbag.db.prisma));
  }

  async dispose(): Promise<void> {
    await this.slack.stop();
    await this.connector.stop();
    await this.drop();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Checks the promise: every acknowledged write is there with its entry; references unique and gap-free. */
export async function verifyNothingLost(postbag: Postbag, samples: Sample[]): Promise<{ logged: number; notes: number }> {
  const acknowledged = samples.filter((s) => s.status === 200 && s.wrote);
  const prisma = postbag.db.prisma;
  const problems: string[] = [];
  let logged = 0;
  let notes = 0;
  for (const sample of acknowledged) {
    if (sample.op === "slack-log") {
      if (!sample.wrote?.reference) {
        if (!/cannot reach its database/.test(sample.text)) problems.push(`log answered 200 without a reference: ${sample.text}`);
        continue;
      }
      const row = await prisma.case.findUnique({ where: { reference: sample.wrote.reference }, include: { timeline: { where: { type: "logged" } } } });
      if (!row || row.timeline.length !== 1) problems.push(`acknowledged ${sample.wrote.reference} is missing or has no logged entry`);
      logged += 1;
    } else if (sample.wrote?.note) {
      if (sample.op === "slack-note" && !/^Recorded on/.test(sample.text)) continue; // refused, and said so
      const entries = await prisma.timelineEntry.count({ where: { text: sample.wrote.note } });
      if (sample.op === "slack-note" && entries !== 1) problems.push(`acknowledged note "${sample.wrote.note}" found ${entries} times`);
      if (sample.op === "teams-note" && entries > 1) problems.push(`teams note "${sample.wrote.note}" written ${entries} times`);
      notes += entries;
    }
  }
  const numbers = await prisma.case.findMany({ select: { year: true, number: true, reference: true }, orderBy: [{ year: "asc" }, { number: "asc" }] });
  const byYear = new Map<number, number[]>();
  for (const row of numbers) byYear.set(row.year, [...(byYear.get(row.year) ?? []), row.number]);
  for (const [year, list] of byYear) {
    list.forEach((number, index) => {
      if (number !== index + 1) problems.push(`references of ${year} are not gap-free at ${number}`);
    });
  }
  if (new Set(numbers.map((row) => row.reference)).size !== numbers.length) problems.push("a reference was reused");
  if (problems.length) throw new Error(problems.slice(0, 20).join("\n"));
  return { logged, notes };
}
