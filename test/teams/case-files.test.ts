import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, expect, it } from "vitest";
import { describeEachDatabase } from "../support/databases.ts";
import { letter } from "../support/office.ts";
import { TeamsHarness } from "../support/teams-harness.ts";

const PDF = new TextEncoder().encode("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n");

describeEachDatabase("Teams: files sent to the bot", (database) => {
  let teams: TeamsHarness;
  let sharePoint: Server;
  let origin = "";
  const fetched: string[] = [];

  beforeAll(async () => {
    // SharePoint's pre-authenticated download URL, as a loopback server.
    sharePoint = createServer((request, response) => {
      fetched.push(request.url ?? "");
      response.writeHead(200, { "content-type": "application/octet-stream", "content-length": PDF.length }).end(Buffer.from(PDF));
    });
    await new Promise<void>((resolve) => sharePoint.listen(0, "127.0.0.1", resolve));
    origin = `http://127.0.0.1:${(sharePoint.address() as { port: number }).port}`;
    teams = await TeamsHarness.start(database, { fileOrigins: [origin] });
  });
  afterAll(async () => {
    await teams?.stop();
    sharePoint?.closeAllConnections();
    await new Promise((resolve) => sharePoint?.close(resolve));
  });

  const sent = (name: string, url = `${origin}/personal/carl/Documents/${encodeURIComponent(name)}?tempauth=x`) => ({
    contentType: "application/vnd.microsoft.teams.file.download.info",
    contentUrl: url,
    name,
    content: { downloadUrl: url, uniqueId: "1", fileType: "pdf" },
  });

  it("attach <ref> with a file in the personal chat attaches it, with the same words as everywhere, and the card lists it", async () => {
    const { reference } = await teams.postbag.core.cases.logCase(teams.office.admin, letter({ assignee: teams.office.caseworker.id }), { platform: "cli" });
    const { card } = await teams.message("caseworker", `attach ${reference}`, { attachments: [sent("scan [1].pdf")] });
    // The filename is inert on the card: its brackets are escaped as Teams' markdown reads them.
    expect(JSON.stringify(card)).toContain(`Attached scan \\\\[1\\\\].pdf`);
    // Markdown in the name (and the "1." that would start a list) shows as typed.
    expect(JSON.stringify(card)).toContain("1\\\\. scan \\\\[1\\\\].pdf");
    expect(fetched).toHaveLength(1);
  });

  it("without a file, or from anywhere but SharePoint, nothing is attached and the person is told what to do", async () => {
    const { reference } = await teams.postbag.core.cases.logCase(teams.office.admin, letter({ assignee: teams.office.caseworker.id }), { platform: "cli" });
    const bare = await teams.message("caseworker", `attach ${reference}`);
    expect(bare.text).toContain(`Attach the file to the message: attach ${reference} with the file added`);
    const elsewhere = await teams.message("caseworker", `attach ${reference}`, { attachments: [sent("x.pdf", "http://192.0.2.1/x.pdf")] });
    expect(elsewhere.text).toContain("Postbag only takes files shared through the chat itself, not from 192.0.2.1. Share the file again, or attach it from the console.");
    expect(await teams.postbag.db.prisma.caseFile.count({ where: { case: { reference } } })).toBe(0);
  });
});
