import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Postbag } from "../../src/app.ts";
import { isDomainError } from "../../src/domain/errors.ts";
import { mergeValuesFor, type OfficeDetails } from "../../src/domain/letters/merge-values.ts";
import { checkTemplate, emailHtml, mergeTemplate, readTemplateFile } from "../../src/domain/letters/templates.ts";
import { TestClock } from "../support/clock.ts";
import { describeEachDatabase, openTestPostbag } from "../support/databases.ts";
import { letter, seedOffice, type Office } from "../support/office.ts";

const OFFICE: OfficeDetails = {
  name: "Office of the Police, Fire and Crime Commissioner",
  address: "1 Example Street\nExampletown EX1 1AA",
  email: "casework@pfcc.example",
  signature: "Sam Signer, Head of Casework",
};

async function refusal(work: Promise<unknown>): Promise<string> {
  try {
    await work;
  } catch (error) {
    if (isDomainError(error)) return error.message;
    throw error;
  }
  throw new Error("expected a refusal");
}

describe("a template is checked when it is saved", () => {
  it("names every field that does not exist, and the fields there are", () => {
    const error = (() => {
      try {
        checkTemplate("email", { subject: "About {{subjct}}", body: "Dear {{constituent.name}}, {{constituent.nme}} {{reference}}" });
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(error).toMatch(/\{\{subjct\}\}, \{\{constituent\.nme\}\}, which are not fields/);
    expect(error).toContain("{{respondBy}}");
  });

  it("refuses raw HTML fields, partials, an unclosed tag, an email with no subject and an empty template", () => {
    const message = (form: "email" | "letter", raw: { subject?: string; body: string }) => {
      try {
        checkTemplate(form, raw);
        return "accepted";
      } catch (e) {
        return (e as Error).message;
      }
    };
    expect(message("letter", { body: "Dear {{{constituent.name}}}" })).toMatch(/not \{\{\{constituent\.name\}\}\}/);
    expect(message("letter", { body: "Dear {{& constituent.name}}" })).toMatch(/Postbag makes every field safe/);
    expect(message("letter", { body: "{{> footer}}" })).toMatch(/do not/);
    expect(message("letter", { body: "Dear {{constituent.name" })).toMatch(/cannot be read as a template/);
    expect(message("email", { body: "Dear {{constituent.name}}" })).toMatch(/needs a subject/);
    expect(message("letter", { body: "   " })).toMatch(/no text/);
    expect(message("letter", { body: "{{#partner.name}}To {{partner.name}}{{/partner.name}} Dear {{constituent.name}}" })).toBe("accepted");
  });

  it("reads an email template's file as a subject line, then the body", () => {
    expect(readTemplateFile("email", "Subject: Hello {{reference}}\r\nDear {{constituent.name}},\r\n\r\nThanks.")).toEqual({ subject: "Hello {{reference}}", body: "Dear {{constituent.name}},\n\nThanks." });
    expect(() => readTemplateFile("email", "Dear {{constituent.name}}")).toThrow(/Subject: …/);
  });

  it("keeps a field's value exactly as recorded in the text, and escapes it (and the template's own words) in the email's HTML", () => {
    const merged = mergeTemplate({ subject: "About {{subject}}", body: "Dear {{constituent.name}},\n\nYour <ref> is {{reference}}." }, { "constituent.name": "Jo <b>O'Brien</b> & Co", subject: "Bins", reference: "PFCC-2026-0001" });
    expect(merged).toEqual({ subject: "About Bins", text: "Dear Jo <b>O'Brien</b> & Co,\n\nYour <ref> is PFCC-2026-0001." });
    expect(emailHtml(merged.text)).toBe("<p>Dear Jo &lt;b&gt;O&#39;Brien&lt;/b&gt; &amp; Co,</p>\n<p>Your &lt;ref&gt; is PFCC-2026-0001.</p>");
  });
});

describeEachDatabase("the office's templates, every version kept", (database) => {
  let postbag: Postbag;
  let office: Office;
  const clock = new TestClock("2026-12-04T10:00:00Z"); // Friday 4 December 2026

  beforeAll(async () => {
    postbag = await openTestPostbag(database, clock);
    office = await seedOffice(postbag);
  });
  afterAll(() => postbag?.close());

  it("starts with the standard templates, each in an email and a letter form, saved once however often Postbag starts", async () => {
    await postbag.core.templates.ensureStandard();
    const all = await postbag.core.templates.list(office.caseworker);
    expect(all.map((t) => `${t.key}/${t.form}/v${t.version}`)).toEqual([
      "acknowledgement/email/v1",
      "acknowledgement/letter/v1",
      "holding/email/v1",
      "holding/letter/v1",
      "more-information/email/v1",
      "more-information/letter/v1",
      "referral/email/v1",
      "referral/letter/v1",
      "response/email/v1",
      "response/letter/v1",
      "satisfaction/email/v1",
      "satisfaction/letter/v1",
    ]);
    expect(all.every((t) => t.changedBy.startsWith("Postbag"))).toBe(true);
    expect(all.find((t) => t.key === "acknowledgement" && t.form === "letter")!.subject).toBeNull();
  });

  it("a manager saves a new version; the old one stays, with who changed what and when", async () => {
    clock.set("2026-12-04T11:30:00Z");
    const saved = await postbag.core.templates.save(office.manager, "Acknowledgement", "email", { subject: "Thank you: {{subject}}", body: "Dear {{constituent.name}},\n\nWe will reply by {{respondBy}}." }, "shorter");
    expect(saved).toMatchObject({ key: "acknowledgement", form: "email", version: 2, changedBy: "Maya Manager", note: "shorter" });
    expect(saved.changedAt.toISOString()).toBe("2026-12-04T11:30:00.000Z");
    const history = await postbag.core.templates.history(office.caseworker, "acknowledgement", "email");
    expect(history.map((v) => [v.version, v.changedBy.split(" ")[0]])).toEqual([
      [2, "Maya"],
      [1, "Postbag"],
    ]);
    expect((await postbag.core.templates.show(office.caseworker, "acknowledgement", "email", 1)).body).toMatch(/We aim to send you a full response by \{\{respondBy\}\}/);
  });

  it("refuses a field that does not exist when saving, and saves nothing", async () => {
    const before = await postbag.db.prisma.letterTemplate.count();
    expect(await refusal(postbag.core.templates.save(office.manager, "holding", "letter", { body: "Dear {{constituent.name}}, by {{respond_by}}" }))).toMatch(/\{\{respond_by\}\}, which is not a field/);
    expect(await postbag.db.prisma.letterTemplate.count()).toBe(before);
  });

  it("lets only managers change templates, and refuses a save that changes nothing", async () => {
    expect(await refusal(postbag.core.templates.save(office.caseworker, "holding", "letter", { body: "Dear {{constituent.name}}" }))).toMatch(/Only managers can change the office's templates/);
    expect(await refusal(postbag.core.templates.save(office.manager, "acknowledgement", "email", { subject: "Thank you: {{subject}}", body: "Dear {{constituent.name}},\n\nWe will reply by {{respondBy}}." }))).toMatch(/already says exactly that \(version 2\)/);
    expect(await refusal(postbag.core.templates.list(office.viewer))).toMatch(/./);
  });

  it("adds an office's own template, which then has versions like the others", async () => {
    const own = await postbag.core.templates.save(office.manager, "victim-support", "letter", { body: "Dear {{constituent.name}},\n\nVictim support can help." });
    expect(own.version).toBe(1);
    expect((await postbag.core.templates.list(office.admin)).map((t) => t.key)).toContain("victim-support");
  });

  it("two managers saving at once: one version wins, the other is told to look again", async () => {
    const results = await Promise.allSettled([
      postbag.core.templates.save(office.manager, "referral", "letter", { body: "To {{partner.name}}: {{reference}} (a)" }),
      postbag.core.templates.save(office.manager, "referral", "letter", { body: "To {{partner.name}}: {{reference}} (b)" }),
    ]);
    const versions = (await postbag.core.templates.history(office.admin, "referral", "letter")).map((v) => v.version);
    expect(new Set(versions).size).toBe(versions.length);
    const refused = results.filter((r) => r.status === "rejected");
    expect(results.filter((r) => r.status === "fulfilled").length + refused.length).toBe(2);
    for (const r of refused) expect((r.reason as Error).message).toMatch(/at the same moment/);
  });

  it("merges a case into the current version: dates written the way people read them, the caseworker, the office", async () => {
    // Received Friday 4 December 2026: acknowledge in 2 working days (Tuesday 8th), respond in 10 (Friday 18th).
    const logged = await postbag.core.cases.logCase(office.admin, letter({ receivedOn: "2026-12-04", constituent: { name: "Jo O'Brien", email: "jo@example.com" }, subject: "Noise at night", assignee: office.caseworker.id }), { platform: "cli" });
    const view = await postbag.core.cases.privateView(office.caseworker, logged.reference);
    const values = mergeValuesFor(view, OFFICE, "2026-12-04", office.caseworker);
    const original = await postbag.core.templates.merge("acknowledgement", "letter", values);
    expect(original.version.version).toBe(1);
    expect(original.text).toContain("Dear Jo O'Brien,");
    expect(original.text).toContain(`about Noise at night, which we received on 4 December 2026. Your reference is ${logged.reference};`);
    expect(original.text).toContain("Carl Caseworker will look into this for you. We aim to send you a full response by 18 December 2026.");
    expect(original.text).toMatch(/Yours sincerely,\n\nSam Signer, Head of Casework\nOffice of the Police, Fire and Crime Commissioner$/);
    const email = await postbag.core.templates.merge("acknowledgement", "email", values);
    expect(email.version.version).toBe(2);
    expect(email).toMatchObject({ subject: "Thank you: Noise at night", text: "Dear Jo O'Brien,\n\nWe will reply by 18 December 2026." });
    expect(values.acknowledgeBy).toBe("8 December 2026");
  });
});
