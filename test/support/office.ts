import type { Postbag } from "../../src/app.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";

export interface Office {
  admin: StaffRecord;
  manager: StaffRecord;
  caseworker: StaffRecord;
  otherCaseworker: StaffRecord;
  viewer: StaffRecord;
}

/** A small office: an admin (who bootstraps), a manager, two caseworkers and a viewer. */
export async function seedOffice(postbag: Postbag): Promise<Office> {
  const { staff } = postbag.core;
  const admin = (await staff.registerStaff(null, { name: "Alice Admin", roles: "admin", email: "alice@pfcc.example", slackUserId: "UALICE" })).staff;
  const add = async (name: string, roles: string, email: string, slackUserId: string) =>
    (await staff.registerStaff(admin, { name, roles, email, slackUserId })).staff;
  return {
    admin,
    manager: await add("Maya Manager", "manager,caseworker", "maya@pfcc.example", "UMAYA"),
    caseworker: await add("Carl Caseworker", "caseworker", "carl@pfcc.example", "UCARL"),
    otherCaseworker: await add("Cora Caseworker", "caseworker", "cora@pfcc.example", "UCORA"),
    viewer: await add("Victor Viewer", "viewer", "victor@pfcc.example", "UVICTOR"),
  };
}

let counter = 0;
/** A valid log input; each call a different constituent unless told otherwise. */
export function letter(overrides: Record<string, unknown> = {}) {
  counter += 1;
  return {
    channel: "letter",
    receivedOn: "2026-11-19",
    constituent: { name: `Jane Doe ${counter}`, email: `jane${counter}@example.com` },
    subject: "Speeding on Main Street",
    summary: "Cars race past the school every morning.",
    ...overrides,
  };
}
