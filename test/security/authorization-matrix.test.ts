import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { parseCommand } from "../../src/bots/shared/commands.ts";
import { executeCommand } from "../../src/bots/shared/execute-command.ts";
import { resultText } from "../../src/bots/shared/text-render.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { TEST_DATABASES } from "../support/databases.ts";
import type { Office } from "../support/office.ts";
import { blockText, SlackHarness } from "../support/slack-harness.ts";
import { TeamsHarness, type Person } from "../support/teams-harness.ts";
import { teamsUser, type TeamsUser } from "../support/teams-activities.ts";

/**
 * Who may do what, written down once and checked for every command, every role, sensitive
 * or not, on every platform. The rules live in the core; this proves no adapter bypasses them.
 */
type Role = "admin" | "caseworker" | "manager" | "viewer" | "leaver";
type Setup = "none" | "unassigned" | "mine" | "theirs" | "theirs-referred" | "theirs-closed" | "theirs-drafted" | "theirs-made";
const ROLES: Role[] = ["admin", "caseworker", "manager", "viewer"];
/** Every role, and a leaver: a deactivated member of staff who held every role, refused everything from their next request. */
const EVERYONE: Role[] = [...ROLES, "leaver"];
const WORKERS: Role[] = ["admin", "caseworker", "manager"];

interface Rule {
  command: string;
  text: (reference: string, sensitive: boolean) => string;
  setup: Setup;
  allowed: Role[];
  /** Who may, when the case is sensitive and not theirs (defaults to `allowed`). */
  allowedSensitive?: Role[];
  /** When allowed, it writes exactly one timeline entry (so an allowed role's other refusals show). */
  writesOne?: true;
}

const MATRIX: Rule[] = [
  { command: "log", text: (_r, s) => `log letter 2026-11-24 "Matrix Person" Matrix letter --new-person${s ? " --sensitive" : ""}`, setup: "none", allowed: WORKERS },
  { command: "show", text: (r) => `show ${r}`, setup: "theirs", allowed: ROLES },
  { command: "ack", text: (r) => `ack ${r}`, setup: "unassigned", allowed: WORKERS },
  { command: "assign to me", text: (r) => `assign ${r} me`, setup: "unassigned", allowed: ["caseworker", "manager"] },
  { command: "reassign", text: (r) => `assign ${r} me`, setup: "theirs", allowed: ["manager"] },
  { command: "note", text: (r) => `note ${r} Matrix note`, setup: "theirs", allowed: WORKERS, allowedSensitive: ["manager"] },
  { command: "call", text: (r) => `call ${r} Matrix call --in`, setup: "theirs", allowed: WORKERS, allowedSensitive: ["manager"] },
  { command: "refer", text: (r) => `refer ${r} "County Council"`, setup: "theirs", allowed: WORKERS, allowedSensitive: ["manager"] },
  { command: "partner-reply", text: (r) => `partner-reply ${r} They replied`, setup: "theirs-referred", allowed: WORKERS, allowedSensitive: ["manager"] },
  { command: "chase", text: (r) => `chase ${r}`, setup: "theirs-referred", allowed: WORKERS, allowedSensitive: ["manager"] },
  { command: "respond", text: (r) => `respond ${r} Full reply sent`, setup: "theirs", allowed: WORKERS, allowedSensitive: ["manager"] },
  { command: "close", text: (r) => `close ${r} withdrawn`, setup: "theirs", allowed: WORKERS, allowedSensitive: ["manager"] },
  { command: "reopen", text: (r) => `reopen ${r} Not satisfied`, setup: "theirs-closed", allowed: WORKERS, allowedSensitive: ["manager"] },
  // Corrections: details by the assignee or a manager (an admin while unassigned); the rest are the manager's.
  { command: "edit (unassigned)", text: (r) => `edit ${r} --subject "Matrix corrected"`, setup: "unassigned", allowed: ["admin", "manager"], writesOne: true },
  { command: "edit (the caseworker's own)", text: (r) => `edit ${r} --name "Matrix Person Jr"`, setup: "mine", allowed: ["caseworker", "manager"], writesOne: true },
  { command: "edit (another's)", text: (r) => `edit ${r} --phone "01234 567890"`, setup: "theirs", allowed: ["manager"], writesOne: true },
  { command: "correct-date", text: (r) => `correct-date ${r} 2026-11-23 matrix check`, setup: "theirs", allowed: ["manager"], writesOne: true },
  { command: "sensitive on/off", text: (r, s) => `sensitive ${r} ${s ? "off matrix check" : "on"}`, setup: "theirs", allowed: ["manager"], writesOne: true },
  { command: "void", text: (r) => `void ${r} matrix check`, setup: "theirs", allowed: ["manager"], writesOne: true },
  { command: "ack, recorded later", text: (r) => `ack ${r} phone --on 2026-11-24`, setup: "unassigned", allowed: WORKERS, writesOne: true },
  { command: "note, recorded later", text: (r) => `note ${r} Matrix note --on 2026-11-24`, setup: "theirs", allowed: WORKERS, allowedSensitive: ["manager"], writesOne: true },
  // Letters and emails: written by whoever may work the case; signed off by managers.
  { command: "draft", text: (r) => `draft ${r} acknowledgement letter`, setup: "theirs-drafted", allowed: WORKERS, allowedSensitive: ["manager"], writesOne: true },
  { command: "approve", text: (r) => `approve ${r} 1`, setup: "theirs-drafted", allowed: ["manager"], writesOne: true },
  { command: "send-back", text: (r) => `send-back ${r} 1 Shorter, please`, setup: "theirs-drafted", allowed: ["manager"], writesOne: true },
  { command: "send (a letter: its PDF made)", text: (r) => `send ${r} 1`, setup: "theirs-drafted", allowed: WORKERS, allowedSensitive: ["manager"], writesOne: true },
  { command: "send-new (a letter drafted and its PDF made, in one act)", text: (r) => `send-new ${r} acknowledgement letter`, setup: "theirs-drafted", allowed: WORKERS, allowedSensitive: ["manager"] },
  { command: "posted", text: (r) => `posted ${r} 1`, setup: "theirs-made", allowed: WORKERS, allowedSensitive: ["manager"], writesOne: true },
  { command: "mine", text: () => "mine", setup: "none", allowed: ROLES },
  { command: "overdue", text: () => "overdue", setup: "none", allowed: ROLES },
  { command: "search", text: () => "search Matrix", setup: "none", allowed: ROLES },
  // The people around a case: their record for anyone (contact withheld where a sensitive case is not theirs); merging for managers.
  { command: "constituent show", text: (r) => `constituent show ${r}`, setup: "theirs", allowed: ROLES },
  { command: "constituent merge", text: (r) => `constituent merge ${r} ${r} matrix check`, setup: "theirs", allowed: ["manager"] },
  { command: "link", text: (r) => `link ${r} PFCC-2026-0001 same-matter`, setup: "theirs", allowed: WORKERS, allowedSensitive: ["manager"], writesOne: true },
  { command: "close as duplicate", text: (r) => `close ${r} duplicate --of PFCC-2026-0001`, setup: "theirs", allowed: WORKERS, allowedSensitive: ["manager"], writesOne: true },
  { command: "staff add", text: () => 'staff add "Matrix Newcomer" --role viewer', setup: "none", allowed: ["admin"] },
  { command: "staff roles", text: () => 'staff roles "Cora Caseworker" caseworker', setup: "none", allowed: ["manager"] },
  { command: "staff reactivate", text: () => 'staff reactivate "Cora Caseworker"', setup: "none", allowed: ["manager"] },
  { command: "staff link", text: () => 'staff link "Cora Caseworker" --email cora@pfcc.example', setup: "none", allowed: ["manager"] },
  { command: "staff unlink", text: () => 'staff unlink "Cora Caseworker" --teams', setup: "none", allowed: ["manager"] },
  // The partner directory: managers keep it; anyone reads it.
  { command: "partner add", text: () => 'partner add "Matrix Partner" --alias MXP', setup: "none", allowed: ["manager"] },
  { command: "partner change", text: () => 'partner change "County Council" --reply-days 12', setup: "none", allowed: ["manager"] },
  { command: "partner list", text: () => "partner list", setup: "none", allowed: ROLES },
  { command: "digest", text: () => "digest", setup: "none", allowed: ["manager"] },
  { command: "jobs", text: () => "jobs", setup: "none", allowed: ["manager"] },
];

const REFUSAL = /Viewers can read cases but not change them|Only managers|only its assignee or a manager|not a caseworker or manager|Caseworkers can take a case|Only admins|\(its assignee\) or a manager can edit|not registered|No registered staff member/;

async function prepare(postbag: Postbag, office: Office, setup: Setup, sensitive: boolean): Promise<string> {
  if (setup === "none") return "PFCC-2026-0001";
  const cases = postbag.core.cases;
  const cli = { platform: "cli" as const };
  const { reference } = await cases.logCase(
    office.manager,
    { channel: "letter", receivedOn: "2026-11-24", constituent: { name: "Matrix Person", address: setup === "theirs-drafted" || setup === "theirs-made" ? "1 Matrix Road" : undefined }, constituentChoice: "new", subject: "Matrix", sensitive, assignee: setup === "unassigned" ? undefined : setup === "mine" ? office.caseworker.id : office.otherCaseworker.id },
    cli,
  );
  if (setup === "theirs-referred") {
    await cases.perform(office.manager, "acknowledge", { reference }, cli);
    await cases.perform(office.manager, "refer", { reference, partner: "Police" }, cli);
  }
  if (setup === "theirs-drafted" || setup === "theirs-made") await cases.perform(office.otherCaseworker, "draft", { reference, template: "acknowledgement", form: "letter" }, cli);
  if (setup === "theirs-made") await cases.perform(office.otherCaseworker, "send", { reference, item: 1 }, cli);
  if (setup === "theirs-closed") await cases.perform(office.manager, "close", { reference, outcome: "no-response-needed" }, cli);
  return reference;
}

type Ask = (role: Role, text: string) => Promise<string>;

function checkMatrix(platform: string, start: () => Promise<{ postbag: Postbag; office: Office; ask: Ask; stop: () => Promise<void> }>) {
  describe(`authorisation matrix [${platform}]`, () => {
    let world: Awaited<ReturnType<typeof start>>;
    beforeAll(async () => {
      world = await start();
    });
    afterAll(() => world?.stop());

    for (const rule of MATRIX) {
      it(`${rule.command}: allowed to ${rule.allowed.join(", ")}; when sensitive and not theirs, to ${(rule.allowedSensitive ?? rule.allowed).join(", ")}`, async () => {
        const failures: string[] = [];
        for (const sensitive of [false, true]) {
          for (const role of EVERYONE) {
            const reference = await prepare(world.postbag, world.office, rule.setup, sensitive);
            const entriesBefore = await world.postbag.db.prisma.timelineEntry.count();
            const said = await world.ask(role, rule.text(reference, sensitive));
            const entriesAfter = await world.postbag.db.prisma.timelineEntry.count();
            const expected = (sensitive ? (rule.allowedSensitive ?? rule.allowed) : rule.allowed).includes(role);
            const refused = REFUSAL.test(said);
            if (expected === refused) failures.push(`${role}${sensitive ? " (sensitive)" : ""}: expected ${expected ? "allowed" : "refused"}, got: ${said.slice(0, 160)}`);
            if (refused && entriesAfter !== entriesBefore) failures.push(`${role}${sensitive ? " (sensitive)" : ""}: refused but wrote ${entriesAfter - entriesBefore} entries`);
            if (expected && rule.writesOne && entriesAfter !== entriesBefore + 1) failures.push(`${role}${sensitive ? " (sensitive)" : ""}: allowed but wrote ${entriesAfter - entriesBefore} entries: ${said.slice(0, 160)}`);
          }
        }
        expect(failures).toEqual([]);
      });
    }
  });
}

/** A member of staff who held every role and has left: deactivated, with their Slack and Teams ids still on record. */
async function addLeaver(postbag: Postbag, office: Office, teamsUserId?: string): Promise<void> {
  const { staff } = postbag.core;
  await staff.registerStaff(office.admin, { name: "Lee Leaver", roles: "admin,caseworker,manager", email: "lee@pfcc.example", slackUserId: "ULEAVER", teamsUserId });
  await staff.deactivate(office.manager, { who: "lee@pfcc.example", reason: "left the office" }, "cli");
}

for (const database of TEST_DATABASES) {
  checkMatrix(`cli, ${database.engine}`, async () => {
    const harness = await SlackHarness.start(database);
    await addLeaver(harness.postbag, harness.office);
    const emails: Record<Role, string> = { admin: "alice@pfcc.example", caseworker: "carl@pfcc.example", manager: "maya@pfcc.example", viewer: "victor@pfcc.example", leaver: "lee@pfcc.example" };
    const ask: Ask = async (role, text) => {
      try {
        // As the CLI does with --as: the person is looked up afresh on every request.
        const actor = await harness.postbag.core.staff.resolveActor({ lookup: emails[role] });
        const result = await executeCommand(harness.postbag.core, actor, parseCommand(text), { audience: "private", request: { platform: "cli" } });
        return resultText(result);
      } catch (error) {
        if (isDomainError(error)) return error.message;
        throw error;
      }
    };
    return { postbag: harness.postbag, office: harness.office, ask, stop: () => harness.stop() };
  });

  checkMatrix(`slack, ${database.engine}`, async () => {
    const harness = await SlackHarness.start(database);
    await addLeaver(harness.postbag, harness.office);
    const users = { admin: "UALICE", caseworker: "UCARL", manager: "UMAYA", viewer: "UVICTOR", leaver: "ULEAVER" };
    const ask: Ask = async (role, text) => {
      const answer = await harness.ask(text, users[role]);
      return `${answer.text ?? ""}\n${blockText(answer.blocks ?? [])}`;
    };
    return { postbag: harness.postbag, office: harness.office, ask, stop: () => harness.stop() };
  });

  checkMatrix(`teams, ${database.engine}`, async () => {
    const harness = await TeamsHarness.start(database);
    const leaver = teamsUser("Lee Leaver");
    await addLeaver(harness.postbag, harness.office, leaver.aadObjectId);
    (harness.users as Record<string, TeamsUser>).leaver = leaver;
    const ask: Ask = async (role, text) => {
      const { sent } = await harness.message(role as Person, text);
      return JSON.stringify(sent.map((activity) => activity.body));
    };
    return { postbag: harness.postbag, office: harness.office, ask, stop: () => harness.stop() };
  });
}
