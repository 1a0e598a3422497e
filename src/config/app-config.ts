import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import { resolve } from 'node:path';
import {
  DEFAULT_PRIORITY_MATRIX,
  InvalidPriorityMatrixError,
  parsePriorityMatrix,
  type PriorityMatrix,
} from '../modules/incidents/domain/priority-matrix';
import { EnvironmentVariables } from './env.schema';

export type RunMode = 'embedded' | 'single-server' | 'scaled';
export type ProcessRole = 'all' | 'api' | 'worker';

/** Thrown at boot when the environment is wrong; the message names every bad variable. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** The validated, typed configuration. Built once at boot from the environment. */
export class AppConfig {
  readonly env: EnvironmentVariables;
  readonly role: ProcessRole;
  /** The database URL in use: DATABASE_URL, or the embedded server's URL once it is listening. */
  databaseUrl: string | undefined;
  /** The impact x urgency matrix in force (PRIORITY_MATRIX, validated at boot, or the default). */
  readonly priorityMatrix: PriorityMatrix;

  constructor(env: EnvironmentVariables, role: ProcessRole) {
    this.env = env;
    this.role = role;
    this.databaseUrl = env.DATABASE_URL;
    this.priorityMatrix = env.PRIORITY_MATRIX
      ? parsePriorityMatrix(env.PRIORITY_MATRIX)
      : DEFAULT_PRIORITY_MATRIX;
  }

  /** An absolute URL of the desk for links people follow from outside: PUBLIC_BASE_URL (no trailing slash) + path. */
  publicUrl(path: string): string {
    return `${this.env.PUBLIC_BASE_URL.replace(/\/+$/, '')}${path}`;
  }

  get mode(): RunMode {
    if (!this.env.DATABASE_URL) return 'embedded';
    return this.env.REDIS_URL ? 'scaled' : 'single-server';
  }

  get dataDir(): string {
    return resolve(this.env.DATA_DIR);
  }

  get runsWorkers(): boolean {
    return this.role !== 'api';
  }

  get runsHttp(): boolean {
    return this.role !== 'worker';
  }

  /** The embedded server (PGlite behind a socket) only runs one session per statement; keep the pool small. */
  get poolSize(): number {
    return this.mode === 'embedded' ? Math.min(this.env.DB_POOL_SIZE, 8) : this.env.DB_POOL_SIZE;
  }
}

function describe(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => {
    const got = e.value === undefined ? '' : ` (got ${JSON.stringify(e.value)})`;
    return Object.values(e.constraints ?? {}).length
      ? [`${e.property}: ${Object.values(e.constraints ?? {})[0]}${got}`]
      : describe(e.children ?? []);
  });
}

/** Variables without a default (absent from a fresh EnvironmentVariables instance). */
const OPTIONAL_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'ADMIN_PASSWORD',
  'JWT_SECRET',
  'PRIORITY_MATRIX',
  'SMTP_URL',
];

/** Validates the whole environment at once; throws ConfigError listing every bad variable. */
export function loadConfig(source: NodeJS.ProcessEnv, role: ProcessRole = 'all'): AppConfig {
  const known = Object.keys(new EnvironmentVariables());
  const plain: Record<string, string> = {};
  for (const key of [...known, ...OPTIONAL_VARIABLES]) {
    const value = source[key];
    if (value !== undefined) plain[key] = value;
  }
  const env = plainToInstance(EnvironmentVariables, plain, { exposeDefaultValues: true });
  const errors = validateSync(env, { skipMissingProperties: false, forbidUnknownValues: true });
  const problems = describe(errors);
  if (env.PRIORITY_MATRIX !== undefined) {
    try {
      parsePriorityMatrix(env.PRIORITY_MATRIX);
    } catch (err) {
      if (!(err instanceof InvalidPriorityMatrixError)) throw err;
      problems.push(`PRIORITY_MATRIX: ${err.message}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return new AppConfig(env, role);
}

export function parseRole(argv: readonly string[]): ProcessRole {
  const arg = argv.find((a) => a.startsWith('--role='));
  const role = arg?.slice('--role='.length) ?? 'all';
  if (role !== 'all' && role !== 'api' && role !== 'worker') {
    throw new ConfigError([`--role: must be all, api or worker (got ${JSON.stringify(role)})`]);
  }
  return role;
}
