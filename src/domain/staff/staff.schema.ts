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
