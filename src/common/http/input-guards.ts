import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { DomainError } from '../errors/domain-error';
import {
  badlyEncodedQuery,
  jsonNestsDeeperThan,
  MAX_BODY_VALUES,
  MAX_JSON_DEPTH,
  scanInput,
  type FieldProblem,
} from './text-input';
import { validationFailed } from './validation';

/** The JSON API: its routes answer in the `{statusCode, error, message}` shape (the public pages answer HTML). */
const API_PREFIX = '/api/';

/**
 * What every API request's input passes before a pipe or a controller sees it, so new endpoints inherit it:
 * - JSON bodies nesting deeper than MAX_JSON_DEPTH are refused while parsing (400 REQUEST.MALFORMED), before
 *   anything recursive (class-transformer, class-validator) walks them;
 * - a body holding more than MAX_BODY_VALUES values is refused (400, saying how many), before validation would
 *   build an error for each of 50,000 unknown keys;
 * - a string breaking the text rule (text-input.ts: NUL, a lone surrogate, a query value whose percent-encoding is
 *   not UTF-8) anywhere in the path, the query or the body is refused with 400 naming its field.
 * Multipart fields are read later by their route (UploadInterceptor checks them the same way).
 */
export function registerInputGuards(app: NestFastifyApplication, bodyLimit: number): void {
  const fastify = app.getHttpAdapter().getInstance();
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (req, body, done) => {
    // The bytes as received, for routes that check a signature over them (suppliers' signed updates).
    (req as { rawBody?: Buffer }).rawBody = body;
    const text = body.toString('utf8');
    if (jsonNestsDeeperThan(text, MAX_JSON_DEPTH)) {
      done(
        new DomainError(
          'REQUEST.MALFORMED',
          `The JSON body nests objects and arrays deeper than ${MAX_JSON_DEPTH} levels.`,
        ),
        undefined,
      );
      return;
    }
    void parseJson(req as FastifyRequest, text, done);
  });
  fastify.addHook('preValidation', (request, _reply, done) => {
    try {
      checkApiInput(request);
      done();
    } catch (err) {
      done(err as Error);
    }
  });
}

function checkApiInput(request: FastifyRequest): void {
  if (!request.routeOptions.url?.startsWith(API_PREFIX)) return;
  const body = scanInput(request.body);
  if (body.values > MAX_BODY_VALUES) {
    throw new DomainError(
      'REQUEST.VALIDATION_FAILED',
      `The body holds ${body.values.toLocaleString('en-GB')} fields or more; a request may hold at most ${MAX_BODY_VALUES.toLocaleString('en-GB')}.`,
      { fields: [] },
    );
  }
  const q = request.url.indexOf('?');
  const problems: FieldProblem[] = [
    ...(q < 0 ? [] : badlyEncodedQuery(request.url.slice(q + 1))),
    ...scanInput(request.params).problems,
    ...scanInput(request.query).problems,
    ...body.problems,
  ];
  if (problems.length > 0) throw validationFailed(problems);
}
