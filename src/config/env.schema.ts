import { Transform } from 'class-transformer';
import { IsBoolean, IsEmail, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength } from 'class-validator';

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
  @MinLength(12, { message: 'must be at least 12 characters' })
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

  @Transform(toInt)
  @IsInt()
  @Min(1)
  LOGIN_RATE_LIMIT = 10;

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
  @Matches(/^(?:[^<>]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, { message: 'must be an address, optionally with a name: Desk <desk@example.org>' })
  MAIL_FROM = 'RoseDesk Service Desk <servicedesk@rosedesk.local>';

  /** Domain of the Message-IDs the desk writes (how replies and loops are recognised). */
  @Matches(/^[a-z0-9.-]+$/i, { message: 'must be a domain name' })
  MAIL_MESSAGE_ID_DOMAIN = 'rosedesk.local';
}
