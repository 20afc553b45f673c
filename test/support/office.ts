import type { Postbag } from "../../src/app.ts";
import type { StaffRecord } from "../../src/domain/staff/staff-record.ts";

export interface Office {
  admin: StaffRecord;
  manager: StaffRecord;
  caseworker: StaffRecord;
  otherCaseworker: StaffRecord;
  viewer: StaffRecord;
}

/** The partners the office's tests refer to (a referral names a partner of the directory). */
export const TEST_PARTNERS = ["Police", "County Council", "Thames Valley Police", "Police – Roads Policing"] as const;

/** Puts partners in the directory directly (as entries made before the directory had aliases), so no audit entries appear. */
export async function seedPartners(postbag: Postbag, names: readonly string[] = TEST_PARTNERS): Promise<void> {
  await postbag.db.prisma.partner.createMany({ data: names.map((name) => ({ name })), skipDuplicates: true });
}

/** A small office: an admin (who bootstraps), a manager, two caseworkers and a viewer; and the partners it refers to. */
export async function seedOffice(postbag: Postbag): Promise<Office> {
  const { staff } = postbag.core;
  const admin = (await staff.registerStaff(null, { name: "Alice Admin", roles: "admin", email: "alice@pfcc.example", slackUserId: "UALICE" })).staff;
  const add = async (name: string, roles: string, email: string, slackUserId: string) =>
    (await staff.registerStaff(admin, { name, roles, email, slackUserId })).staff;
  await seedPartners(postbag);
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
