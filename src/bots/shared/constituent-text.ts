import { formatDate } from "../../domain/calendar/local-date.ts";
import type { ConstituentProfile } from "../../domain/constituents/constituent-service.ts";
import { caseLine } from "./text-render.ts";

/** A constituent's record as text, the same on every platform. */
export function constituentText(profile: ConstituentProfile): string {
  const lines = [`C${profile.id} ${profile.name}${profile.mergedFrom ? `  (C${profile.mergedFrom} was merged into this record)` : ""}`];
  if (profile.contact) {
    const { email, phone, address } = profile.contact;
    lines.push(`Email: ${email ?? "–"}   Phone: ${phone ?? "–"}`, `Address: ${address ?? "–"}`);
  } else {
    lines.push("Contact details withheld: one of their cases is sensitive. Ask its assignee or a manager.");
  }
  lines.push(`On record since ${formatDate(profile.since)}`);
  for (const other of profile.alsoRecordedAs) {
    const contact = [other.email, other.phone].filter(Boolean).join(", ");
    lines.push(`Also recorded as C${other.id} ${other.name}${contact ? ` (${contact})` : ""}${other.mergedOn ? `, merged ${formatDate(other.mergedOn)}` : ""}`);
  }
  lines.push("", `${profile.cases.length} case${profile.cases.length === 1 ? "" : "s"}:`, ...profile.cases.map(caseLine));
  return lines.join("\n");
}
