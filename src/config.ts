import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { isLocalDate } from "./domain/calendar/local-date.ts";
import { DEFAULT_OFFICE, type OfficeDetails } from "./domain/letters/merge-values.ts";
import { NATIONS, type Nation } from "./domain/calendar/working-calendar.ts";
import type { ServiceStandards } from "./domain/settings.ts";
import { clockSettingsSchema } from "./domain/clocks/clock.schema.ts";
import { signOffSchema, type SignOffRule } from "./domain/letters/outgoing.ts";
import { AUTO_ACK_SETTINGS, type AutoAckSetting } from "./domain/letters/auto-acknowledge.ts";
import type { GraphSenderSettings } from "./mail/graph-sender.ts";
import type { SmtpSettings } from "./mail/smtp-sender.ts";

/**
 * The embedded database's default home: `data/` in Postbag's own folder (beside src/ and dist/),
 * whatever directory the server or the CLI is started from, so both always find the same one.
 */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL("../data", import.meta.url));

const emptyAsUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);
const optionalString = z.preprocess(emptyAsUndefined, z.string().trim().optional());
const days = (fallback: number, max: number) => z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(max).default(fallback));
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
  // The statutory clocks' published targets (docs/statutory-clocks.md); the law's own periods are not settings.
  POSTBAG_REVIEW_ACKNOWLEDGE_DAYS: days(5, 100),
  POSTBAG_REVIEW_COMPLETE_DAYS: days(28, 250),
  POSTBAG_CC_RECORD_DAYS: days(10, 100),
  POSTBAG_CC_UPDATE_DAYS: days(28, 366),
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
  POSTBAG_IMAP_HOST: optionalString,
  POSTBAG_IMAP_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65_535).optional()),
  POSTBAG_IMAP_SECURITY: z.preprocess(emptyAsUndefined, z.enum(["tls", "starttls", "off"]).default("tls")),
  POSTBAG_IMAP_USER: optionalString,
  POSTBAG_IMAP_PASSWORD: optionalString,
  POSTBAG_IMAP_MAILBOX: z.preprocess(emptyAsUndefined, z.string().default("INBOX")),
  POSTBAG_GRAPH_TENANT_ID: optionalString,
  POSTBAG_GRAPH_CLIENT_ID: optionalString,
  POSTBAG_GRAPH_CLIENT_SECRET: optionalString,
  POSTBAG_GRAPH_MAILBOX: optionalString,
  POSTBAG_GRAPH_FOLDER: z.preprocess(emptyAsUndefined, z.string().default("inbox")),
  POSTBAG_GRAPH_URL: z.preprocess(emptyAsUndefined, z.url("must be a URL").default("https://graph.microsoft.com/v1.0")),
  POSTBAG_GRAPH_LOGIN_URL: z.preprocess(emptyAsUndefined, z.url("must be a URL").default("https://login.microsoftonline.com")),
  POSTBAG_MAIL_POLL_SECONDS: z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number()
      .int()
      .refine((s) => (s >= 10 && s < 60 && 60 % s === 0) || (s >= 60 && s <= 3600 && s % 60 === 0 && 60 % (s / 60) === 0), "must be 10, 12, 15, 20 or 30 seconds, or whole minutes that divide an hour (60, 120, 300, 600, 900, 1800, 3600)")
      .default(60),
  ),
  POSTBAG_MAIL_SINCE: z.preprocess(emptyAsUndefined, z.string().refine(isLocalDate, "must be a date written YYYY-MM-DD (the day Postbag starts taking in mail)").optional()),
  POSTBAG_MAIL_MAX_MB: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(1024).default(50)),
  POSTBAG_FILE_STORE: z.preprocess(emptyAsUndefined, z.enum(["local", "s3"]).default("local")),
  POSTBAG_FILES_DIR: optionalString,
  POSTBAG_FILE_MAX_MB: z.preprocess(emptyAsUndefined, z.coerce.number().positive().max(1024).default(25)),
  S3_ENDPOINT: z.preprocess(emptyAsUndefined, z.url("must be a URL, like https://s3.eu-west-2.amazonaws.com").optional()),
  S3_BUCKET: optionalString,
  S3_REGION: z.preprocess(emptyAsUndefined, z.string().default("eu-west-2")),
  S3_ACCESS_KEY_ID: optionalString,
  S3_SECRET_ACCESS_KEY: optionalString,
  S3_PREFIX: z.preprocess(emptyAsUndefined, z.string().default("")),
  // The office as its letters and emails name it; an address's lines are separated by "|".
  POSTBAG_OFFICE_NAME: z.preprocess(emptyAsUndefined, z.string().max(200).default(DEFAULT_OFFICE.name)),
  POSTBAG_OFFICE_ADDRESS: z.preprocess(emptyAsUndefined, z.string().max(500).default(DEFAULT_OFFICE.address)),
  POSTBAG_OFFICE_EMAIL: z.preprocess(emptyAsUndefined, z.email("must be an email address, like casework@pfcc.example").optional()),
  POSTBAG_OFFICE_SIGNATURE: z.preprocess(emptyAsUndefined, z.string().max(500).default(DEFAULT_OFFICE.signature)),
  // Sending letters and emails (issue 17): the office's SMTP relay, and which items need a manager's sign-off.
  SMTP_HOST: optionalString,
  SMTP_PORT: z.preprocess(emptyAsUndefined, z.coerce.number().int().min(1).max(65_535).optional()),
  SMTP_SECURE: z.preprocess(emptyAsUndefined, z.enum(["true", "false"], { error: "must be true (TLS from the start, port 465) or false (STARTTLS, required)" }).default("false")),
  SMTP_USER: optionalString,
  SMTP_PASSWORD: z.preprocess(emptyAsUndefined, z.string().optional()),
  SMTP_FROM: optionalString,
  SMTP_CA_FILE: optionalString,
  // How emails go: smtp (the relay above; the default) or graph (the Microsoft 365 mailbox of POSTBAG_GRAPH_*).
  POSTBAG_MAIL_SEND: z.preprocess(emptyAsUndefined, z.enum(["smtp", "graph"], { error: "must be smtp (the relay of SMTP_*) or graph (the Microsoft 365 mailbox of POSTBAG_GRAPH_*)" }).optional()),
  POSTBAG_SIGN_OFF: z.preprocess(emptyAsUndefined, signOffSchema),
  POSTBAG_AUTO_ACK: z.preprocess(emptyAsUndefined, z.enum(AUTO_ACK_SETTINGS, { error: "must be off or email (acknowledge cases logged from email automatically, from the office mailbox)" }).default("off")),
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
  /** The watched mailboxes (none unless configured), and how often they are read. */
  mail: MailConfig;
  /** Who the `postbag` command acts as when no --as is given (a name, email or Slack id); none by default. */
  cliAs?: string;
  /** Where attached files' bytes are kept, and the largest file accepted. */
  files: FilesConfig;
  /** The office as its letters and emails name it. */
  office: OfficeDetails;
  /** The SMTP relay emails go through; none (and no graphSend): emails are refused (letters still work). */
  smtp?: SmtpSettings;
  /** Emails go through Microsoft Graph from the Microsoft 365 mailbox instead (POSTBAG_MAIL_SEND=graph); never both. */
  graphSend?: GraphSenderSettings;
  /** Which letters and emails need a manager's sign-off before they go (POSTBAG_SIGN_OFF). */
  signOff: SignOffRule[];
  /** Whether cases logged from email are acknowledged by Postbag itself, from the office mailbox (POSTBAG_AUTO_ACK); off by default. */
  autoAck: AutoAckSetting;
  env: Environment;
}

export type FileStoreConfig =
  | { kind: "local"; dir: string }
  | { kind: "s3"; endpoint?: string; bucket: string; region: string; accessKeyId?: string; secretAccessKey?: string; prefix: string };

export interface FilesConfig {
  store: FileStoreConfig;
  maxBytes: number;
}

/** IMAP and Microsoft Graph mailboxes Postbag reads (src/intake); each is there only when configured. */
export interface MailConfig {
  pollSeconds: number;
  /** The day intake starts from (POSTBAG_MAIL_SINCE): mail the mailbox got before it is not taken in. */
  since?: string;
  /** The largest message read whole (POSTBAG_MAIL_MAX_MB): a larger one is recorded for a person to open in the mailbox. */
  maxMessageBytes: number;
  imap?: { host: string; port: number; security: "tls" | "starttls" | "off"; user: string; password: string; mailbox: string; maxMessageBytes?: number };
  graph?: { tenantId: string; clientId: string; clientSecret: string; mailbox: string; folder: string; graphUrl: string; loginUrl: string; maxMessageBytes?: number };
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
  if (env.POSTBAG_FILE_STORE === "s3" && !env.S3_BUCKET) {
    throw new ConfigError("Configuration is not valid:\n  S3_BUCKET is required when POSTBAG_FILE_STORE=s3\nSee .env.example.");
  }
  const store: FileStoreConfig =
    env.POSTBAG_FILE_STORE === "s3"
      ? { kind: "s3", endpoint: env.S3_ENDPOINT, bucket: env.S3_BUCKET!, region: env.S3_REGION, accessKeyId: env.S3_ACCESS_KEY_ID, secretAccessKey: env.S3_SECRET_ACCESS_KEY, prefix: env.S3_PREFIX }
      : { kind: "local", dir: env.POSTBAG_FILES_DIR ?? join(env.POSTBAG_DATA_DIR, "files") };
  const office: OfficeDetails = {
    name: env.POSTBAG_OFFICE_NAME.trim(),
    address: env.POSTBAG_OFFICE_ADDRESS.split("|").map((line) => line.trim()).filter(Boolean).join("\n"),
    email: env.POSTBAG_OFFICE_EMAIL ?? null,
    // The signature's lines are separated by "|" too (a name, then a role).
    signature: env.POSTBAG_OFFICE_SIGNATURE.split("|").map((line) => line.trim()).filter(Boolean).join("\n"),
  };
  const mail = mailConfig(env);
  const sending = sendingConfig(env, office, mail);
  if (env.POSTBAG_AUTO_ACK === "email" && !sending.smtp && !sending.graphSend) {
    throw new ConfigError("Configuration is not valid:\n  POSTBAG_AUTO_ACK=email sends acknowledgements from the office mailbox: set SMTP_HOST and SMTP_FROM (or POSTBAG_MAIL_SEND=graph) too, or unset it.\nSee .env.example.");
  }
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
      clocks: clockSettingsSchema.parse({
        complaintReview: { acknowledgeWorkingDays: env.POSTBAG_REVIEW_ACKNOWLEDGE_DAYS, completeWorkingDays: env.POSTBAG_REVIEW_COMPLETE_DAYS },
        chiefConstableComplaint: { recordWorkingDays: env.POSTBAG_CC_RECORD_DAYS, updateEveryDays: env.POSTBAG_CC_UPDATE_DAYS },
      }),
    },
    jobs: { digestTime: env.POSTBAG_DIGEST_TIME, enabled: env.POSTBAG_JOBS === "on" },
    cliAs: env.POSTBAG_CLI_AS,
    mail,
    files: { store, maxBytes: Math.round(env.POSTBAG_FILE_MAX_MB * 1024 * 1024) },
    office,
    ...sending,
    signOff: env.POSTBAG_SIGN_OFF,
    autoAck: env.POSTBAG_AUTO_ACK,
    env,
  };
}

/** A mailbox is configured by all of its variables or none: one missing stops start-up naming it. */
function mailConfig(env: Environment): MailConfig {
  const config: MailConfig = { pollSeconds: env.POSTBAG_MAIL_POLL_SECONDS, since: env.POSTBAG_MAIL_SINCE, maxMessageBytes: Math.round(env.POSTBAG_MAIL_MAX_MB * 1024 * 1024) };
  const needAll = (names: (keyof Environment)[]) => {
    const given = names.filter((name) => env[name] !== undefined);
    if (given.length === 0) return false;
    const missing = names.filter((name) => env[name] === undefined);
    if (missing.length) throw new ConfigError(`Configuration is not valid:\n  ${missing.join(", ")} must be set too (${given.join(", ")} is set).\nSee .env.example.`);
    return true;
  };
  if (needAll(["POSTBAG_IMAP_HOST", "POSTBAG_IMAP_USER", "POSTBAG_IMAP_PASSWORD"])) {
    const security = env.POSTBAG_IMAP_SECURITY;
    if (security === "off" && !isLoopback(env.POSTBAG_IMAP_HOST!)) {
      throw new ConfigError("Configuration is not valid:\n  POSTBAG_IMAP_SECURITY=off sends the password in clear: it is allowed for a server on this machine only (localhost, 127.0.0.1).\nSee .env.example.");
    }
    config.imap = {
      host: env.POSTBAG_IMAP_HOST!,
      port: env.POSTBAG_IMAP_PORT ?? (security === "tls" ? 993 : 143),
      security,
      user: env.POSTBAG_IMAP_USER!,
      password: env.POSTBAG_IMAP_PASSWORD!,
      mailbox: env.POSTBAG_IMAP_MAILBOX,
      maxMessageBytes: config.maxMessageBytes,
    };
  }
  if (needAll(["POSTBAG_GRAPH_TENANT_ID", "POSTBAG_GRAPH_CLIENT_ID", "POSTBAG_GRAPH_CLIENT_SECRET", "POSTBAG_GRAPH_MAILBOX"])) {
    for (const name of ["POSTBAG_GRAPH_URL", "POSTBAG_GRAPH_LOGIN_URL"] as const) {
      const url = new URL(env[name]);
      if (url.protocol !== "https:" && !isLoopback(url.hostname)) throw new ConfigError(`Configuration is not valid:\n  ${name} must be https (plain http only for a stand-in on this machine).\nSee .env.example.`);
    }
    config.graph = {
      tenantId: env.POSTBAG_GRAPH_TENANT_ID!,
      clientId: env.POSTBAG_GRAPH_CLIENT_ID!,
      clientSecret: env.POSTBAG_GRAPH_CLIENT_SECRET!,
      mailbox: env.POSTBAG_GRAPH_MAILBOX!,
      folder: env.POSTBAG_GRAPH_FOLDER,
      graphUrl: env.POSTBAG_GRAPH_URL,
      loginUrl: env.POSTBAG_GRAPH_LOGIN_URL,
      maxMessageBytes: config.maxMessageBytes,
    };
  }
  return config;
}

/**
 * How emails go: through the SMTP relay (SMTP_*; the default), or with POSTBAG_MAIL_SEND=graph
 * through Microsoft Graph from the Microsoft 365 mailbox configured for intake (POSTBAG_GRAPH_*).
 * Only one: a relay configured beside graph is refused rather than silently unused.
 */
function sendingConfig(env: Environment, office: OfficeDetails, mail: MailConfig): Pick<Config, "smtp" | "graphSend"> {
  const invalid = (problem: string) => new ConfigError(`Configuration is not valid:\n  ${problem}\nSee .env.example.`);
  if (env.POSTBAG_MAIL_SEND !== "graph") {
    if (env.POSTBAG_MAIL_SEND === "smtp" && !env.SMTP_HOST) throw invalid("SMTP_HOST and SMTP_FROM must be set too (POSTBAG_MAIL_SEND=smtp): the relay emails go through.");
    return { smtp: smtpConfig(env, office) };
  }
  const relay = (["SMTP_HOST", "SMTP_PORT", "SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "SMTP_CA_FILE"] as const).filter((name) => env[name] !== undefined);
  if (relay.length) throw invalid(`POSTBAG_MAIL_SEND=graph sends through Microsoft 365, so ${relay.join(", ")} would not be used: unset ${relay.length === 1 ? "it" : "them"}, or choose POSTBAG_MAIL_SEND=smtp.`);
  if (!mail.graph) {
    throw invalid("POSTBAG_MAIL_SEND=graph sends from the Microsoft 365 mailbox: POSTBAG_GRAPH_TENANT_ID, POSTBAG_GRAPH_CLIENT_ID, POSTBAG_GRAPH_CLIENT_SECRET and POSTBAG_GRAPH_MAILBOX must be set too.");
  }
  const { tenantId, clientId, clientSecret, mailbox, graphUrl, loginUrl } = mail.graph;
  return { graphSend: { tenantId, clientId, clientSecret, mailbox, graphUrl, loginUrl, from: { name: office.name, address: mailbox }, timeoutMs: 30_000 } };
}

/** SMTP_FROM: `casework@pfcc.example`, or `Casework Team <casework@pfcc.example>`. */
function parseFrom(value: string): { name: string | null; address: string } | null {
  const named = value.match(/^\s*"?([^"<>]*?)"?\s*<([^<>\s]+)>\s*$/);
  const address = (named?.[2] ?? value).trim();
  if (!z.email().safeParse(address).success) return null;
  return { name: named?.[1]?.trim() || null, address };
}

/** The relay is configured by SMTP_HOST and SMTP_FROM together; a certificate authority file is read now, so a wrong path stops start-up. */
function smtpConfig(env: Environment, office: OfficeDetails): SmtpSettings | undefined {
  const invalid = (problem: string) => new ConfigError(`Configuration is not valid:\n  ${problem}\nSee .env.example.`);
  if (!env.SMTP_HOST) {
    const stray = (["SMTP_USER", "SMTP_PASSWORD", "SMTP_FROM", "SMTP_CA_FILE", "SMTP_PORT"] as const).filter((name) => env[name] !== undefined);
    if (stray.length) throw invalid(`SMTP_HOST must be set too (${stray.join(", ")} is set).`);
    return undefined;
  }
  if (!env.SMTP_FROM) throw invalid("SMTP_FROM must be set too (SMTP_HOST is set): the address emails go from, like casework@pfcc.example.");
  const from = parseFrom(env.SMTP_FROM);
  if (!from) throw invalid('SMTP_FROM must be an email address, or a name and one: "Casework Team <casework@pfcc.example>".');
  if (env.SMTP_PASSWORD !== undefined && !env.SMTP_USER) throw invalid("SMTP_USER must be set too (SMTP_PASSWORD is set).");
  let ca: string | undefined;
  if (env.SMTP_CA_FILE) {
    try {
      ca = readFileSync(env.SMTP_CA_FILE, "utf8");
    } catch {
      throw invalid(`SMTP_CA_FILE cannot be read (${env.SMTP_CA_FILE}).`);
    }
    if (!ca.includes("-----BEGIN CERTIFICATE-----")) throw invalid("SMTP_CA_FILE must hold a PEM certificate (-----BEGIN CERTIFICATE-----).");
  }
  const secure = env.SMTP_SECURE === "true";
  return {
    host: env.SMTP_HOST,
    port: env.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    user: env.SMTP_USER,
    password: env.SMTP_PASSWORD,
    from: { name: from.name ?? office.name, address: from.address },
    ca,
    timeoutMs: 30_000,
  };
}

function isLoopback(host: string): boolean {
  return ["localhost", "127.0.0.1", "::1", "[::1]"].includes(host.toLowerCase());
}
