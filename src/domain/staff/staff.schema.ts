import { z } from "zod";
import { ROLES } from "./roles.ts";

const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

export const roleListSchema = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(",")).map((role) => role.trim().toLowerCase()).filter(Boolean))
  .pipe(
    z
      .array(z.enum(ROLES, { error: `Roles are: ${ROLES.join(", ")}.` }))
      .min(1, `Give at least one role: ${ROLES.join(", ")}.`)
      .transform((roles) => [...new Set(roles)]),
  );

export const registerStaffSchema = z.object({
  name: z
    .string({ error: "A full name is required." })
    .trim()
    .min(2, "A full name is required.")
    .max(120, "A name is at most 120 characters.")
    // eslint-disable-next-line no-control-regex -- names must not carry control characters
    .refine((value) => !/[\u0000-\u001F\u007F]/.test(value), "A name cannot contain control characters."),
  roles: roleListSchema,
  email: z.email("That email address does not look right.").max(254).optional(),
  slackUserId: z
    .string()
    .trim()
    .toUpperCase()
    .refine((value) => SLACK_USER_ID.test(value), "A Slack user id looks like U012ABCDEF.")
    .optional(),
  teamsUserId: z
    .string()
    .trim()
    .min(1)
    .max(200, "A Teams user id is at most 200 characters.")
    .optional(),
});
export type RegisterStaffInput = z.input<typeof registerStaffSchema>;

export const staffChangeSchema = z.object({
  /** Name, email or platform id of the person, active or not. */
  who: z.string({ error: "Say who." }).trim().min(1, "Say who.").max(254),
  reason: z
    .string()
    .trim()
    .max(2_000, "A reason is at most 2,000 characters.")
    .optional()
    .transform((value) => value || undefined),
});

const ENTRA_OBJECT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** `staff link`: one or more of a person's platform ids or email, each replacing what they had. */
export const staffLinkSchema = z
  .object({
    who: staffChangeSchema.shape.who,
    slackUserId: z
      .string()
      .trim()
      .toUpperCase()
      .refine((value) => SLACK_USER_ID.test(value), "A Slack user id looks like U012ABCDEF (in Slack: their profile → ⋮ → Copy member ID).")
      .optional(),
    teamsUserId: z
      .string()
      .trim()
      .toLowerCase()
      .refine((value) => ENTRA_OBJECT_ID.test(value), "A Teams id is the person's Microsoft Entra object id, like 8c3f0e52-1b7a-4e0b-9d4a-2f6c1e0b7a31 (Entra admin centre → Users → the person → Object ID).")
      .optional(),
    email: z.email("That email address does not look right.").max(254).transform((value) => value.toLowerCase()).optional(),
  })
  .refine((input) => input.slackUserId || input.teamsUserId || input.email, "Say what to link: --slack U…, --teams <Entra object id> or --email E.");

/** `staff unlink`: the platforms whose id a person no longer has. */
export const staffUnlinkSchema = z.object({
  who: staffChangeSchema.shape.who,
  platforms: z.array(z.enum(["slack", "teams"])).min(1, "Say which to unlink: --slack or --teams."),
});
export type LinkPlatform = z.output<typeof staffUnlinkSchema>["platforms"][number];
