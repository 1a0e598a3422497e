import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { maskUrl } from '../logging/mask-url';
import { DomainError } from './domain-error';
import { ERROR_STATUS, type ErrorCode } from './error-codes';
import { errorSummary } from './error-summary';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [key: string]: unknown;
}

/**
 * Maps every error to one JSON shape: `{ statusCode, error (code), message, ...details }`.
 * Domain errors carry their own code; Nest's HTTP exceptions keep their status; anything else is a 500 with
 * an error id that is also logged, so the caller can quote it and the log never leaks to them. The log line holds
 * the id, the masked path and the error's class, code and message (errorSummary): never the error's other
 * properties, which for a database error are the statement's parameters.
 */
@Catch()
export class DomainErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('Errors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    const body = this.toBody(exception, request);
    if (reply.sent) return;
    // A rate-limited answer says when to come back, in the standard header as well as the body.
    if (typeof body.retryAfterSeconds === 'number')
      void reply.header('Retry-After', String(body.retryAfterSeconds));
    void reply.status(body.statusCode).send(body);
  }

  toBody(exception: unknown, request: FastifyRequest): ErrorBody {
    if (exception instanceof DomainError) {
      return {
        statusCode: exception.status,
        error: exception.code,
        message: exception.message,
        ...exception.details,
      };
    }
    if (exception instanceof ThrottlerException) {
      return {
        statusCode: 429,
        error: 'REQUEST.RATE_LIMITED',
        message: 'Too many requests; try again shortly.',
      };
    }
    const parsing = bodyError(exception);
    if (parsing) return parsing;
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const res = exception.getResponse();
      const given = typeof res === 'string' ? res : (res as { message?: unknown }).message;
      // Nest's own 404 for an unknown route quotes the URL ("Cannot GET /…"), which may hold a token.
      const message =
        status === 404
          ? 'No route matches this method and path.'
          : typeof given === 'string'
            ? given
            : Array.isArray(given)
              ? given.join('; ')
              : exception.message;
      return { statusCode: status, error: httpErrorCode(status), message };
    }
    const errorId = randomUUID();
    this.logger.error(
      { errorId, path: maskUrl(request.url, request.routeOptions.url), err: errorSummary(exception) },
      'Unhandled error',
    );
    return {
      statusCode: 500,
      error: 'INTERNAL',
      message: `Internal error; quote error id ${errorId}.`,
      errorId,
    };
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

/**
 * The HTTP server's own refusals of a body, before any route runs (Nest hands them over as an HttpException
 * caused by Fastify's error): malformed or oversized, or of a type no route reads.
 */
function bodyError(exception: unknown): ErrorBody | null {
  if (!(exception instanceof HttpException)) return null;
  const code = (exception.cause as { code?: unknown } | undefined)?.code;
  switch (code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return codeBody('REQUEST.MALFORMED', 'The request body is not valid JSON.');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return codeBody('REQUEST.TOO_LARGE', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return codeBody(
        'REQUEST.UNSUPPORTED_MEDIA_TYPE',
        'Send the body as application/json (forms: application/x-www-form-urlencoded or multipart/form-data).',
      );
    default:
      return null;
  }
}

const codeBody = (error: ErrorCode, message: string): ErrorBody => ({
  statusCode: ERROR_STATUS[error],
  error,
  message,
});
