import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openPostbag, type Postbag } from "../../src/app.ts";
import type { CaseView } from "../../src/domain/cases/case-view.ts";
import type { CaseAction } from "../../src/domain/cases/case-actions.ts";
import type { Digest } from "../../src/domain/digest/digest.ts";
import type { Platform } from "../../src/domain/ports.ts";
import type { PerformanceReport } from "../../src/domain/reports/report.ts";
import { DEFAULT_STANDARDS } from "../../src/domain/settings.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";
import { TestClock } from "../../test/support/clock.ts";

/**
 * A small office on fixed dates, worked through the real core on an embedded database: what the
 * screenshots show. Every date is fixed, so the pictures change only when the code does.
 */

/** The morning the screenshots are taken: Wednesday 9 December 2026, 10:00 in London. */
export const TODAY = "2026-12-09";

export interface OfficeScenes {
  /** The speeding letter as its assignee sees it in their own chat (the card's full form). */
  caseView: CaseView;
  /** The manager digest as the channel digest posts it that morning. */
  digest: Digest;
  /** November's performance report. */
  report: PerformanceReport;
}

interface Staff {
  admin: StaffRecord;
  manager: StaffRecord;
  tom: StaffRecord;
  grace: StaffRecord;
}

/** A case logged on a day, then the steps taken on it, each on its own day ("YYYY-MM-DD", 10:00; or "YYYY-MM-DD HH:MM"). */
interface Story {
  on: string;
  by: keyof Staff;
  log: Record<string, unknown>;
  steps: { on: string; by: keyof Staff; action: CaseAction; input: Record<string, unknown>; platform?: Platform }[];
}

const letter = (name: string, address: string | undefined, subject: string, summary: string, extra: Record<string, unknown> = {}) => ({
  channel: "letter",
  constituent: { name, address },
  subject,
  summary,
  ...extra,
});

/** A November case answered in the month: the figures of the report. */
function answered(on: string, who: keyof Staff, name: string, channel: string, subject: string, themes: string[], ackOn: string, respondOn: string, extra: Story["steps"] = []): Story {
  return {
    on,
    by: "manager",
    log: { channel, constituent: { name, email: `${name.toLowerCase().replace(/[^a-z]+/g, ".")}@example.org` }, subject, summary: "", themes, assignee: who === "manager" ? "priya.shah@pfcc.example" : `${who}@pfcc.example` },
    steps: [
      { on: ackOn, by: who, action: "acknowledge", input: { method: channel === "email" ? "email" : "letter" } },
      ...extra,
      { on: respondOn, by: who, action: "respond", input: { text: "Reply sent with the force's answer." } },
      { on: respondOn, by: who, action: "close", input: { outcome: "responded" } },
    ],
  };
}

const STORIES: Story[] = [
  answered("2026-11-02", "tom", "Helen Marsh", "email", "Street lights out on Botley Road", ["street lighting"], "2026-11-03", "2026-11-13", [
    { on: "2026-11-04", by: "tom", action: "refer", input: { partner: "County Council Highways", workingDays: 5 } },
    { on: "2026-11-10", by: "tom", action: "partner_reply", input: { text: "Repairs booked for 12 November." } },
  ]),
  answered("2026-11-03", "grace", "Peter Lowe", "phone", "Front counter opening hours at St Aldates", ["police estate"], "2026-11-04", "2026-11-12"),
  answered("2026-11-05", "tom", "Aisha Rahman", "email", "Drug dealing near Florence Park", ["drugs", "neighbourhood policing"], "2026-11-06", "2026-11-19", [
    { on: "2026-11-06", by: "tom", action: "refer", input: { partner: "Police – Neighbourhood Team", workingDays: 5 } },
    { on: "2026-11-16", by: "tom", action: "partner_reply", input: { text: "Patrols stepped up; two arrests." } },
  ]),
  answered("2026-11-09", "manager", "Gareth Price", "letter", "Fireworks nuisance after Bonfire Night", ["antisocial behaviour"], "2026-11-13", "2026-11-27"),
  answered("2026-11-10", "grace", "Lucy Bennett", "web", "Waiting times on 101", ["101"], "2026-11-11", "2026-11-20"),
  answered("2026-11-12", "tom", "Martin Gray", "email", "Cycle theft at the railway station", ["theft", "neighbourhood policing"], "2026-11-13", "2026-11-25"),
  answered("2026-11-17", "grace", "Janet Okoro", "letter", "Speed limit on the Cumnor road", ["road safety", "speeding"], "2026-11-18", "2026-12-01"),
  {
    on: "2026-11-02",
    by: "manager",
    log: { channel: "email", constituent: { name: "Olu Adeyemi", email: "olu.adeyemi@example.org" }, subject: "Fly-tipping in Blackbird Leys", summary: "Mattresses and rubble dumped behind the shops again.", themes: ["fly-tipping"], assignee: "grace@pfcc.example" },
    steps: [{ on: "2026-11-03", by: "grace", action: "acknowledge", input: { method: "email" } }],
  },
  {
    on: "2026-11-16",
    by: "manager",
    log: {
      channel: "phone",
      constituent: { name: "Rashid Khan", phone: "01865 555 0142" },
      subject: "Complaint about how officers handled a burglary report",
      summary: "Says nobody came out for four days and he was not given a crime number.",
      kind: "complaint",
      assignee: "grace@pfcc.example",
    },
    steps: [
      { on: "2026-11-17", by: "grace", action: "acknowledge", input: { method: "phone" } },
      { on: "2026-11-18", by: "grace", action: "refer", input: { partner: "Police Professional Standards", workingDays: 10 }, platform: "teams" },
    ],
  },
  {
    on: "2026-11-25",
    by: "manager",
    log: { channel: "web", constituent: { name: "Ama Mensah", email: "ama.mensah@example.org" }, subject: "How to report hate crime online", summary: "", themes: ["hate crime"], assignee: "priya.shah@pfcc.example" },
    steps: [{ on: "2026-11-26", by: "manager", action: "acknowledge", input: { method: "email" } }],
  },
  {
    on: "2026-12-03",
    by: "tom",
    log: letter("Eileen Parker", undefined, "Antisocial behaviour at the Cowley Road skate park", "Groups gathering late at night; bottles thrown at the fence.", { themes: ["antisocial behaviour"], assignee: "tom@pfcc.example" }),
    steps: [],
  },
  {
    on: "2026-12-04",
    by: "manager",
    log: { channel: "email", constituent: { name: "Daniel Brooks", email: "d.brooks@example.net" }, subject: "FOI: speed camera prosecutions in 2025", summary: "Asks for the number of prosecutions from each fixed camera in the county in 2025." },
    steps: [{ on: "2026-12-04", by: "manager", action: "set_type", input: { type: "foi" } }],
  },
];

/** The case the card shows: a letter about speeding outside a school, referred to roads policing. */
const SPEEDING: Story = {
  on: "2026-11-30 10:25",
  by: "tom",
  log: letter("Margaret Ellis", "12 Church Lane, Wheatley OX33 1AB", "Speeding on the A40 past Wheatley primary school", "Cars race past the school gates at drop-off. Asks for a speed camera and more patrols at 8:30 and 15:15.", {
    themes: ["road safety", "speeding"],
    assignee: "tom@pfcc.example",
  }),
  steps: [
    { on: "2026-12-01 09:12", by: "tom", action: "acknowledge", input: { method: "letter" } },
    { on: "2026-12-01 11:40", by: "tom", action: "refer", input: { partner: "Police – Roads Policing" } },
    { on: "2026-12-03 14:05", by: "tom", action: "add_entry", input: { type: "call_out", text: "Rang Mrs Ellis: three near misses this term, photos to follow." } },
    { on: "2026-12-07 16:30", by: "tom", action: "add_entry", input: { type: "note", text: "Asked the council whether a 20 mph zone is planned." }, platform: "teams" },
  ],
};

async function seedStaff(postbag: Postbag): Promise<Staff> {
  const { staff, partners } = postbag.core;
  const admin = (await staff.registerStaff(null, { name: "Sam Whitfield", roles: "admin", email: "sam@pfcc.example", slackUserId: "USAMW" })).staff;
  const add = async (name: string, roles: string, email: string, slackUserId: string) =>
    (await staff.registerStaff(admin, { name, roles, email, slackUserId, teamsUserId: `29:${slackUserId.toLowerCase()}` })).staff;
  const people = {
    admin,
    manager: await add("Priya Shah", "manager,caseworker", "priya.shah@pfcc.example", "UPRIYA"),
    tom: await add("Tom Hughes", "caseworker", "tom@pfcc.example", "UTOMH"),
    grace: await add("Grace Okafor", "caseworker", "grace@pfcc.example", "UGRACE"),
  };
  for (const name of ["Police – Roads Policing", "Police – Neighbourhood Team", "Police Professional Standards", "County Council Highways"]) {
    await partners.add(people.manager, { name }, "cli");
  }
  return people;
}

/** Moves the clock to a story's moment: London time, which in November and December is GMT. */
function moveTo(clock: TestClock, on: string): void {
  if (on.length > 10) clock.set(`${on.replace(" ", "T")}:00Z`);
  else clock.setLondonMorning(on);
}

/** Logs a story's case and takes its steps, the clock moved to each one's moment. */
async function tell(postbag: Postbag, clock: TestClock, people: Staff, story: Story): Promise<string> {
  moveTo(clock, story.on);
  const { reference } = await postbag.core.cases.logCase(people[story.by], { receivedOn: story.on.slice(0, 10), ...story.log }, { platform: "slack" });
  for (const step of story.steps) {
    moveTo(clock, step.on);
    await postbag.core.cases.perform(people[step.by], step.action, { reference, ...step.input }, { platform: step.platform ?? "slack" });
  }
  return reference;
}

/** Opens a fresh Postbag in a temporary folder, tells the office's stories, and reads the scenes back. */
export async function buildOfficeScenes(): Promise<OfficeScenes> {
  const dataDir = await mkdtemp(join(tmpdir(), "postbag-screenshots-"));
  const clock = new TestClock(`${TODAY}T10:00:00Z`);
  const postbag = await openPostbag({ dataDir }, { nation: "england-and-wales", closureDays: [], standards: DEFAULT_STANDARDS }, { clock });
  try {
    const people = await seedStaff(postbag);
    const stories = [...STORIES, SPEEDING].sort((a, b) => a.on.localeCompare(b.on));
    let speeding = "";
    for (const story of stories) {
      const reference = await tell(postbag, clock, people, story);
      if (story === SPEEDING) speeding = reference;
    }
    clock.setLondonMorning(TODAY);
    const { core } = postbag;
    return {
      caseView: await core.cases.showCase(people.tom, speeding, { audience: "private", timelineEntries: 8, platform: "slack" }),
      digest: await core.digests.managerDigest(TODAY, { audience: "shared" }),
      report: await core.reports.performanceReport(people.manager),
    };
  } finally {
    await postbag.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
