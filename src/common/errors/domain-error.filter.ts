import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { DomainError } from './domain-error';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [key: string]: unknown;
}

/**
 * Maps every error to one JSON shape: `{ statusCode, error (code), message, ...details }`.
 * Domain errors carry their own code; Nest's HTTP exceptions keep their status; anything else is a 500 with
 * an error id that is also logged, so the caller can quote it and the log never leaks to them.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const body = this.toBody(exception, request);
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown, request: Request): ErrorBody {
    if (exception instanceof DomainError) {
      return { statusCode: exception.status, error: exception.code, message: exception.message, ...exception.details };
    }
    if (exception instanceof ThrottlerException) {
      return { statusCode: 429, error: 'REQUEST.RATE_LIMITED', message: 'Too many requests; try again shortly.' };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const given = typeof res === 'string' ? res : (res as { message?: unknown }).message;
      const message = typeof given === 'string' ? given : Array.isArray(given) ? given.join('; ') : exception.message;
      return { statusCode: status, error: httpErrorCode(status), message };
    }
    const parsing = bodyParserError(exception);
    if (parsing) return parsing;
    const errorId = randomUUID();
    this.logger.error({ err: exception, errorId, path: request.url }, 'Unhandled error');
    return { statusCode: 500, error: 'INTERNAL', message: `Internal error; quote error id ${errorId}.`, errorId };
  }
}

function httpErrorCode(status: number): string {
  switch (status) {
    case 400:
      return 'REQUEST.BAD_REQUEST';
    case 401:
      return 'AUTH.UNAUTHENTICATED';
    case 403:
      return 'AUTH.FORBIDDEN';
    case 404:
      return 'REQUEST.NOT_FOUND';
    case 413:
      return 'REQUEST.TOO_LARGE';
    case 429:
      return 'REQUEST.RATE_LIMITED';
    default:
      return `HTTP.${status}`;
  }
}

/** Errors from the body parsers (http-errors with `expose`): a malformed or oversized body is the caller's fault. */
function bodyParserError(exception: unknown): ErrorBody | null {
  const e = exception as { status?: unknown; expose?: unknown; type?: unknown; message?: unknown };
  if (typeof e?.status !== 'number' || e.expose !== true || e.status < 400 || e.status >= 500) return null;
  if (e.type === 'entity.too.large') return { statusCode: 413, error: 'REQUEST.TOO_LARGE', message: 'The request body is too large.' };
  if (e.type === 'entity.parse.failed') return { statusCode: 400, error: 'REQUEST.MALFORMED', message: 'The request body is not valid JSON.' };
  return { statusCode: e.status, error: httpErrorCode(e.status), message: typeof e.message === 'string' ? e.message : 'Bad request' };
}
