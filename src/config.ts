import { fileURLToPath } from "node:url";
import { z } from "zod";
import { isLocalDate } from "./domain/calendar/local-date.ts";
import { NATIONS, type Nation } from "./domain/calendar/working-calendar.ts";
import type { ServiceStandards } from "./domain/settings.ts";

/**
 * The embedded database's default home: `data/` in Postbag's own folder (beside src/ and dist/),
 * whatever directory the server or the CLI is started from, so both always find the same one.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../data", import.meta.url));

const emptyAsUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().trim().optional());
const workingDays = (fallback: number) =>
  z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(60).default(fallback));

/** Every environment variable Postbag reads, parsed once at start-up. `.env.example` lists them all. */
const environmentSchema = z.object({
  PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(0).max(65_535).default(3978)),
  HOST: z.preprocess(emptyAsUndefined, z.string().default("0.0.0.0")),
  DATABASE_URL: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => /^postgres(ql)?:\/\//.test(value), "must start with postgresql://")
      .optional(),
  ),
  POSTBAG_DATA_DIR: z.preprocess(emptyAsUndefined, z.string().default(DEFAULT_DATA_DIR)),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
  POSTBAG_REFERENCE_PREFIX: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^[A-Z][A-Z0-9]{0,9}$/, "must be 1–10 capital letters or digits, starting with a letter").default("PFCC"),
  ),
  POSTBAG_NATION: z.preprocess(
    emptyAsUndefined,
    z.enum(Object.keys(NATIONS) as [Nation, ...Nation[]]).default("england-and-wales"),
  ),
  POSTBAG_CLOSURE_DAYS: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .default("")
      .transform((value) => value.split(",").map((day) => day.trim()).filter(Boolean))
      .refine((days) => days.every(isLocalDate), "must be dates written YYYY-MM-DD, separated by commas"),
  ),
  POSTBAG_ACKNOWLEDGE_DAYS: workingDays(2),
  POSTBAG_RESPOND_DAYS: workingDays(10),
  POSTBAG_STALE_DAYS: workingDays(10),
  POSTBAG_PARTNER_REPLY_DAYS: workingDays(10),
  POSTBAG_HOLDING_REPLY_DAYS: workingDays(10),
  POSTBAG_RETENTION_YEARS: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(100).default(6)),
  POSTBAG_DIGEST_TIME: z.preprocess(emptyAsUndefined, z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time written HH:MM, like 08:00").default("08:00")),
  POSTBAG_JOBS: z.preprocess(emptyAsUndefined, z.enum(["on", "off"]).default("on")),
  POSTBAG_CLI_AS: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_BOT_TOKEN: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: optionalString,
  SLACK_CASE_LOG_CHANNEL: optionalString,
  MICROSOFT_APP_ID: optionalString,
  MICROSOFT_APP_PASSWORD: optionalString,
  MICROSOFT_APP_TYPE: z.preprocess(emptyAsUndefined, z.enum(["MultiTenant", "SingleTenant", "UserAssignedMSI"]).optional()),
  MICROSOFT_APP_TENANT_ID: optionalString,
});

export type Environment = z.output<typeof environmentSchema>;

export interface Config {
  port: number;
  host: string;
  database: { url: string } | { dataDir: string };
  logLevel: Environment["LOG_LEVEL"];
  nation: Nation;
  closureDays: string[];
  standards: ServiceStandards;
  /** When the daily digests go out, London time; and whether this process runs the jobs at all. */
  jobs: { digestTime: string; enabled: boolean };
  /** Who the `postbag` command acts as when no --as is given (a name, email or Slack id); none by default. */
  cliAs?: string;
  env: Environment;
}

export class ConfigError extends Error {}

/** Parses the environment; a wrong value stops start-up with a message naming the variable. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environmentSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join(".")} ${issue.message}`);
    throw new ConfigError(`Configuration is not valid:\n  ${problems.join("\n  ")}\nSee .env.example.`);
  }
  const env = parsed.data;
  return {
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL ? { url: env.DATABASE_URL } : { dataDir: env.POSTBAG_DATA_DIR },
    logLevel: env.LOG_LEVEL,
    nation: env.POSTBAG_NATION,
    closureDays: env.POSTBAG_CLOSURE_DAYS,
    standards: {
      referencePrefix: env.POSTBAG_REFERENCE_PREFIX,
      acknowledgeWorkingDays: env.POSTBAG_ACKNOWLEDGE_DAYS,
      respondWorkingDays: env.POSTBAG_RESPOND_DAYS,
      staleAfterWorkingDays: env.POSTBAG_STALE_DAYS,
      partnerReplyWorkingDays: env.POSTBAG_PARTNER_REPLY_DAYS,
      holdingReplyWorkingDays: env.POSTBAG_HOLDING_REPLY_DAYS,
      retentionYears: env.POSTBAG_RETENTION_YEARS,
    },
    jobs: { digestTime: env.POSTBAG_DIGEST_TIME, enabled: env.POSTBAG_JOBS === "on" },
    cliAs: env.POSTBAG_CLI_AS,
    env,
  };
}
