import type { LocalDate } from "../calendar/local-date.ts";
import type { CaseView } from "../cases/case-view.ts";
import type { MergeValues } from "./templates.ts";

/** The office as its letters name it (from the environment: POSTBAG_OFFICE_*). */
export interface OfficeDetails {
  name: string;
  address: string;
  email: string | null;
  signature: string;
}

/** What letters say before the office sets its own details (POSTBAG_OFFICE_*). */
export const DEFAULT_OFFICE: OfficeDetails = {
  name: "Office of the Police, Fire and Crime Commissioner",
  address: "",
  email: null,
  signature: "The Casework Team",
};

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A date as a letter writes it: `4 December 2026`. */
export function letterDate(date: LocalDate): string {
  const [year, month, day] = date.split("-").map(Number) as [number, number, number];
  return `${day} ${MONTHS[month - 1]} ${year}`;
}

/**
 * The merge fields' values for one case, as the person writing may see it. The caseworker is
 * the assignee, else the writer; a referral names its partner.
 */
export function mergeValuesFor(view: CaseView, office: OfficeDetails, today: LocalDate, writer: { name: string }, partner?: string): MergeValues {
  return {
    "constituent.name": view.constituent?.name ?? null,
    "constituent.email": view.constituent?.email ?? null,
    "constituent.address": view.constituent?.address ?? null,
    reference: view.reference,
    subject: view.subject,
    receivedOn: letterDate(view.receivedOn),
    acknowledgeBy: letterDate(view.acknowledgement.due),
    respondBy: letterDate(view.response.due),
    today: letterDate(today),
    "caseworker.name": view.assignee?.name ?? writer.name,
    "partner.name": partner ?? null,
    "office.name": office.name,
    "office.address": office.address,
    "office.email": office.email,
    "office.signature": office.signature,
  };
}
