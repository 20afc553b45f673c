import { ADD_PARTNER_HINT } from "../../domain/partners/partner-directory.ts";
import type { PartnerRecord } from "../../domain/partners/partner-store.ts";

/** One directory entry on a line: its other names, its usual reply time, whom to contact. */
export function partnerLine(partner: PartnerRecord): string {
  const parts = [partner.name];
  if (partner.aliases.length) parts.push(`also ${partner.aliases.join(", ")}`);
  parts.push(partner.replyDays === null ? "replies within the office default" : `replies within ${partner.replyDays} working day${partner.replyDays === 1 ? "" : "s"}`);
  if (partner.contact) parts.push(`contact: ${partner.contact}`);
  return `${parts.join(" · ")}${partner.active ? "" : " [retired]"}`;
}

/** `partner list`, or the entry just added or changed with what was done. */
export function partnersText(partners: readonly PartnerRecord[], message?: string): string {
  if (message) return [message, ...partners.map(partnerLine)].join("\n");
  if (partners.length === 0) return `No partners in the directory yet. ${ADD_PARTNER_HINT}`;
  return [`Partner directory (${partners.length}):`, ...partners.map((partner) => `  ${partnerLine(partner)}`)].join("\n");
}
