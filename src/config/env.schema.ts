import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  Max,
  Min,
  MinLength,
  Validate,
} from 'class-validator';
import { IsAcceptablePassword } from '../common/security/is-acceptable-password';
import { SupplierPatternsRule } from '../modules/intake/email/supplier-patterns.rule';

const toBool = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  const v = value.trim().toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(v)) return true;
  if (['false', '0', 'no', 'off'].includes(v)) return false;
  return value;
};
const toInt = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
const emptyToUndefined = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * Every environment variable RoseDesk reads, with its rule. `.env.example` documents the same list.
 * Values arrive as strings; the transforms turn them into numbers/booleans before validation.
 */
export class EnvironmentVariables {
  @IsIn(['development', 'production', 'test'])
  NODE_ENV: 'development' | 'production' | 'test' = 'development';

  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 1 and 65535' })
  @Min(1, { message: 'must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'must be a whole number between 1 and 65535' })
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'must be a postgres:// connection URL' })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR = 'var';

  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  @Matches(/^[a-z0-9_-]{1,40}$/i, { message: 'must be 1-40 letters, digits, "-" or "_"' })
  QUEUE_PREFIX = 'rosedesk';

  @Transform(toInt)
  @IsInt()
  @Min(2)
  @Max(200)
  DB_POOL_SIZE = 10;

  /** At shutdown, how long (ms) each queue worker may finish the jobs it holds before it closes regardless. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(600_000)
  SHUTDOWN_GRACE_MS = 10_000;

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  RUN_MIGRATIONS = true;

  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  SEED_DEMO = true;

  @IsEmail({ require_tld: false }, { message: 'must be an email address' })
  ADMIN_EMAIL = 'admin@rosedesk.local';

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsAcceptablePassword(['ADMIN_EMAIL'])
  ADMIN_PASSWORD?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @MinLength(32, { message: 'must be at least 32 characters' })
  JWT_SECRET?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  ACCESS_TOKEN_TTL_MINUTES = 480;

  /** Failed sign-ins a minute per account, and per client address, before 429. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

  /** A console session unused for this long is over (the next request goes to the sign-in page). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(24 * 60)
  CONSOLE_IDLE_TIMEOUT_MINUTES = 30;

  /** A console session is over this long after sign-in, however busy. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(7 * 24 * 60)
  CONSOLE_ABSOLUTE_TIMEOUT_MINUTES = 12 * 60;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  @IsUrl({ require_tld: false, require_protocol: true }, { message: 'must be an absolute http(s) URL' })
  PUBLIC_BASE_URL = 'http://localhost:3000';

  // --- Incidents ---------------------------------------------------------------------------
  /** A resolved incident may be reopened (by an agent or a reply) for this long. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  REOPEN_WINDOW_MINUTES = 7 * 24 * 60;

  /** A resolved incident closes by itself this long after resolution. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  AUTO_CLOSE_MINUTES = 5 * 24 * 60;

  /** Impact x urgency -> priority as JSON, e.g. {"site_down":{"high":"P1",...},...}; unset = the default matrix. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  PRIORITY_MATRIX?: string;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

  @Transform(toInt)
  @IsInt()
  @Min(1024)
  INCIDENT_ATTACHMENTS_MAX_BYTES = 50 * 1024 * 1024;

  // --- Public web form -------------------------------------------------------------------------
  /** Reports accepted per client address per hour on /report. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REPORT_RATE_LIMIT_PER_IP = 20;

  /** Reports accepted per reporter email address per hour on /report. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  REPORT_RATE_LIMIT_PER_EMAIL = 5;

  /** How long a status link sent to a reporter keeps working, in days. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  STATUS_LINK_TTL_DAYS = 30;

  // --- Outbound mail ---------------------------------------------------------------------------
  /** Relay for outbound mail, e.g. smtp://user:pass@relay:587. Unset: mail is written as .eml files to OUTBOX_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^smtps?:\/\/.+/, { message: 'must be an smtp:// or smtps:// URL' })
  SMTP_URL?: string;

  /** Development outbox for .eml files when SMTP_URL is unset. */
  @IsString()
  OUTBOX_DIR = 'var/outbox';

  /** From: of the desk's mail (also the X-Loop stamp). */
  @Matches(/^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, {
    message: 'must be an address, optionally with a name: Desk <desk@example.org>',
  })
  MAIL_FROM = 'RoseDesk Service Desk <servicedesk@rosedesk.local>';

  /** Domain of the Message-IDs the desk writes (how replies and loops are recognised). */
  @Matches(/^[a-z0-9.-]+$/i, { message: 'must be a domain name' })
  MAIL_MESSAGE_ID_DOMAIN = 'rosedesk.local';

  // --- Email intake (src/modules/intake/email) ---------------------------------------------------
  /** SMTP listener port (roles all and api); 0 takes any free port (tests). */
  @Transform(toInt)
  @IsInt({ message: 'must be a whole number between 0 and 65535' })
  @Min(0, { message: 'must be a whole number between 0 and 65535' })
  @Max(65535, { message: 'must be a whole number between 0 and 65535' })
  SMTP_INTAKE_PORT = 2525;

  /** The desk's addresses, comma-separated; mail to any other recipient is refused with 550. */
  @Matches(/^\s*[^\s@,]+@[^\s@,]+(\s*,\s*[^\s@,]+@[^\s@,]+)*\s*$/, {
    message: 'must be a comma-separated list of email addresses',
  })
  INTAKE_ADDRESSES = 'servicedesk@rosedesk.local';

  /** Messages one client address may send the SMTP listener per minute (over it: 451 4.7.1, retried); 0: no limit. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  INTAKE_SMTP_MESSAGES_PER_MINUTE = 300;

  /**
   * authserv-ids (RFC 8601) of the relay in front of the desk whose Authentication-Results are believed,
   * comma-separated; empty: none, so no sender is verified (mail never acts as an agent or a supplier).
   */
  @Matches(/^\s*([A-Za-z0-9.-]+(\s*,\s*[A-Za-z0-9.-]+)*)?\s*$/, {
    message: 'must be a comma-separated list of host names (authserv-ids), or empty',
  })
  INTAKE_TRUSTED_AUTHSERV_IDS = '';

  /** Largest message accepted over SMTP or IMAP, in bytes (over it: SMTP 552). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  INTAKE_MAX_BYTES = 25 * 1024 * 1024;

  /** A message whose header section has more lines than this is stored and refused (a loop or an attack). */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  INTAKE_MAX_HEADER_LINES = 1000;

  /** Pipeline jobs run at once per worker process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(64)
  INTAKE_WORKER_CONCURRENCY = 8;

  /** How long (seconds) a pipeline run holds a message; a worker that died releases it after this. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INTAKE_CLAIM_SECONDS = 60;

  /** How often (seconds) workers re-queue stored messages that are not processed yet. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INTAKE_SWEEP_SECONDS = 60;

  /** Acknowledgements per recipient per hour, and per incident. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  INTAKE_ACK_PER_RECIPIENT_PER_HOUR = 10;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  INTAKE_ACK_PER_INCIDENT = 5;

  /** An address a bounce names gets no automatic mail for this many hours. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  INTAKE_BOUNCE_SUPPRESSION_HOURS = 72;

  /** Site for email the pipeline cannot place (created on first use when no site has this code). */
  @Matches(/^[A-Za-z0-9-]{1,8}$/, { message: 'must be a site code (1-8 letters, digits or "-")' })
  INTAKE_TRIAGE_SITE_CODE = '0000';

  /** Service, impact and urgency of an email incident when its text names no service. */
  @Matches(/^[a-z0-9_-]{1,32}$/i, { message: 'must be a service code' })
  INTAKE_DEFAULT_SERVICE = 'lan';

  @IsIn(['site_down', 'several_users', 'one_user'])
  INTAKE_DEFAULT_IMPACT: 'site_down' | 'several_users' | 'one_user' = 'one_user';

  @IsIn(['high', 'medium', 'low'])
  INTAKE_DEFAULT_URGENCY: 'high' | 'medium' | 'low' = 'medium';

  /** Supplier reference patterns as JSON: [{"supplier":"vmb","pattern":"VMB-(\\d{6,})","domains":["vmb.example"]}]. */
  @IsString()
  @Validate(SupplierPatternsRule)
  INTAKE_SUPPLIER_PATTERNS = '';

  /** IMAP mailbox to poll (workers), e.g. imaps://imap.nhs.net:993; empty: no polling. */
  @Matches(/^$|^imaps?:\/\/[^\s/]+(:\d+)?\/?$/, {
    message: 'must be imap://host[:port] or imaps://host[:port], or empty',
  })
  IMAP_URL = '';

  @IsString()
  IMAP_USER = '';

  @IsString()
  IMAP_PASSWORD = '';

  @IsString()
  @MinLength(1)
  IMAP_FOLDER = 'INBOX';

  /** Folder to move messages to once stored (empty: they are only marked \\Seen). */
  @IsString()
  IMAP_MOVE_TO = '';

  @Transform(toInt)
  @IsInt()
  @Min(1)
  IMAP_POLL_SECONDS = 60;

  // --- SLA engine ------------------------------------------------------------------------------
  /** Warning levels as fractions of each SLA target, comma-separated (the breach at 1.0 is always on). */
  @Matches(/^\s*(0?\.\d*[1-9]\d*\s*(,\s*0?\.\d*[1-9]\d*\s*)*)?$/, {
    message: 'must be fractions between 0 and 1, comma-separated, e.g. 0.75,0.9',
  })
  SLA_WARNING_THRESHOLDS = '0.75,0.9';

  /** How often each worker process acts on SLA checks that are due, straight from the database, in ms (0: off). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  SLA_POLL_MS = 500;

  /** Days after a month's end when each trust's report for it is frozen into a pack (asking for it then freezes it). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60)
  REPORT_FREEZE_AFTER_DAYS = 5;

  /**
   * The most a scheduled report's mail carries in files (chart and CSV), in bytes; a CSV that would go past it is left
   * out and the mail links to the report page (0: never attach it). At most the outbox's limit for one mail (15 MiB).
   */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(15 * 1024 * 1024)
  REPORT_MAIL_MAX_BYTES = 10 * 1024 * 1024;

  /** BullMQ delayed jobs as SLA wake-ups: auto = on with Redis (or when the poll is off), off on the PostgreSQL queue. */
  @IsIn(['auto', 'on', 'off'], { message: 'must be auto, on or off' })
  SLA_QUEUE_TIMERS: 'auto' | 'on' | 'off' = 'auto';

  /** E.164 numbers that get a text for every P1 warning and breach, comma-separated (empty: none). */
  @Matches(/^(\s*\+[1-9]\d{6,14}\s*(,\s*\+[1-9]\d{6,14}\s*)*)?$/, {
    message: 'must be E.164 numbers (+447700900123), comma-separated',
  })
  ON_CALL_SMS_NUMBERS = '';

  /** Twilio account for outbound SMS (empty: texts are written to OUTBOX_DIR as .sms.txt files). */
  @Matches(/^(AC[0-9a-fA-F]{32})?$/, {
    message: 'must be a Twilio account SID (AC followed by 32 hex digits)',
  })
  TWILIO_ACCOUNT_SID = '';

  @IsString()
  TWILIO_AUTH_TOKEN = '';

  /** The number texts are sent from (E.164). */
  @Matches(/^(\+[1-9]\d{6,14})?$/, { message: 'must be an E.164 number such as +447700900123' })
  TWILIO_FROM_NUMBER = '';

  /** Another base URL for Twilio's REST API (a local fake in tests); empty: https://api.twilio.com. */
  @Matches(/^(https?:\/\/[^\s]+)?$/, { message: 'must be an http(s) URL' })
  TWILIO_API_BASE_URL = '';

  // --- Phone and SMS intake (Twilio webhooks; TWILIO_AUTH_TOKEN checks their signatures) ---------
  /** The desk's name as the voice menu says it when it answers. */
  @IsString()
  @MinLength(1)
  PHONE_DESK_NAME = 'the RoseDesk network service desk';

  /** Longest message a caller may record, in seconds. */
  @Transform(toInt)
  @IsInt()
  @Min(10)
  @Max(3600)
  PHONE_RECORDING_MAX_SECONDS = 120;

  /** Who a caller reporting a site down at a 24x7 site may be put through to, per service: `wireless=+44...,lan=+44...`. */
  @Matches(
    /^(\s*[a-z0-9_-]{1,32}\s*=\s*\+[1-9]\d{6,14}\s*(,\s*[a-z0-9_-]{1,32}\s*=\s*\+[1-9]\d{6,14}\s*)*)?$/,
    {
      message: 'must be service=E.164 pairs, comma-separated, e.g. wireless=+441772000001,lan=+441772000002',
    },
  )
  PHONE_ON_CALL_NUMBERS = '';

  /** A call that ends after the site and service were chosen but before a message makes an incident (abandoned). */
  @Transform(toBool)
  @IsBoolean({ message: 'must be true or false' })
  PHONE_ABANDONED_CALL_INCIDENTS = true;

  /** Service of a call whose caller pressed 0 (something else), and of a text that names none. */
  @Matches(/^[a-z0-9_-]{1,32}$/, { message: 'must be a service code' })
  PHONE_DEFAULT_SERVICE = 'lan';

  /** Escalation deliveries: attempts per round (the first and its retries), with exponential backoff. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(50)
  ESCALATION_ATTEMPTS = 10;

  /** Escalation deliveries: the first retry's delay in ms, doubling each time (10 tries: about an hour at 7000). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3_600_000)
  ESCALATION_BACKOFF_MS = 7_000;

  /** How long one webhook delivery may take before it counts as failed, in ms. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(120_000)
  ESCALATION_TIMEOUT_MS = 10_000;

  /** Deliveries in flight per supplier queue and worker process. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(500)
  ESCALATION_CONCURRENCY = 20;

  /** How often each worker acts on due supplier contract clocks (chase, warning, breach), in ms (0: off). */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(60_000)
  ESCALATION_CLOCK_POLL_MS = 1_000;
}
