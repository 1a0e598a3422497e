import type { LoggerService } from '@nestjs/common';
import { hostname } from 'node:os';
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { errorSummary } from '../errors/error-summary';
import type { LogFormat } from './log-format';

/**
 * The process's one pino logger: Nest's `Logger` calls go through PinoNestLogger, and Fastify logs requests
 * with it. There is no per-request context store (AsyncLocalStorage costs every promise of every request):
 * a request's log lines carry its `reqId` because Fastify hands each request a child logger. An error logged
 * under `err`, by any caller, is written as its class, code and message only (errorSummary): pino's own
 * serializer would write every property, and a database error's are the statement's parameters.
 * JSON lines by default; `format: 'pretty'` runs them through pino-pretty (in this thread) for a terminal.
 */
export function createRootLogger(
  options: { level: string; role: string; format?: LogFormat },
  destination?: DestinationStream,
): Logger {
  const stream =
    options.format === 'pretty'
      ? pretty({ colorize: destination === undefined, destination: destination ?? 1, sync: true })
      : destination;
  return pino(
    {
      level: options.level,
      base: { pid: process.pid, hostname: hostname(), service: 'rosedesk', role: options.role },
      serializers: { err: errorSummary },
      redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
    },
    stream,
  );
}

/** A stack trace as Nest's own exception handlers pass it: `error('message', stack)`. */
const STACK = /\n\s*at /;

/**
 * Nest's LoggerService over pino. `logger.warn({ ids }, 'decision')` becomes one line with the object's fields,
 * `context` (the name given to `new Logger(...)`) and `msg`; an Error becomes `err`.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    // Nest passes the context name last; anything between the message and it is format arguments.
    const fields: Record<string, unknown> = {};
    let args = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      args = params.slice(0, -1);
    }
    if (message instanceof Error) {
      this.pino[level]({ ...fields, err: message }, errorSummary(message).message);
    } else if (typeof message === 'object' && message !== null) {
      this.pino[level]({ ...fields, ...message }, ...(args as [string?]));
    } else if (
      level === 'error' &&
      typeof message === 'string' &&
      args.length === 1 &&
      typeof args[0] === 'string' &&
      STACK.test(args[0])
    ) {
      this.pino[level]({ ...fields, err: new Error(message) });
    } else {
      this.pino[level](fields, String(message), ...args);
    }
  }
}
