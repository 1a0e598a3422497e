import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ErrorBody } from '../errors/domain-error.filter';
import { ERROR_STATUS, type ErrorCode } from '../errors/error-codes';

const body = (error: ErrorCode, message: string): ErrorBody => ({
  statusCode: ERROR_STATUS[error],
  error,
  message,
});

/**
 * The router's refusals, before any hook or route runs, in the API's error shape. Fastify's own answers echo the
 * URL (`'/…' is not a valid url component`), which may hold a token; these never do.
 */
export function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const answer = routerErrorBody(error.code);
  void reply.code(answer.statusCode).type('application/json; charset=utf-8').send(answer);
}

function routerErrorBody(code: string): ErrorBody {
  switch (code) {
    case 'FST_ERR_BAD_URL':
      return body('REQUEST.BAD_URL', 'The URL is not valid: part of its path is not UTF-8 percent-encoding.');
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return body('REQUEST.URL_TOO_LONG', 'A part of the URL path is longer than the server reads.');
    default:
      return { statusCode: 500, error: 'INTERNAL', message: 'Internal error while routing the request.' };
  }
}

/** Past this many bytes without the end of its first line, a request's URL is what overflowed the header limit. */
const LONG_REQUEST_LINE = 8 * 1024;

/**
 * Node's HTTP parser refusals (the connection is then closed), in the API's error shape: a URL longer than the
 * header limit is 414, other header overflows 431, a timeout 408, anything else unreadable 400.
 */
export function clientErrorHandler(err: ConnectionError, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const answer = clientErrorBody(err);
  const json = JSON.stringify(answer);
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${answer.statusCode} ${STATUS_CODES[answer.statusCode]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(json)}\r\nConnection: close\r\n\r\n${json}`,
    );
  }
  socket.destroy(err);
}

function clientErrorBody(err: ConnectionError): ErrorBody {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW': {
      const raw: unknown = err.rawPacket;
      const lineEnd = Buffer.isBuffer(raw) ? raw.indexOf('\r\n') : -1;
      return lineEnd < 0 || lineEnd > LONG_REQUEST_LINE
        ? body('REQUEST.URL_TOO_LONG', 'The URL is longer than the server reads.')
        : body('REQUEST.HEADERS_TOO_LARGE', 'The request headers are larger than the server reads.');
    }
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return body('REQUEST.TIMEOUT', 'The request was not received in time.');
    default:
      return body('REQUEST.MALFORMED', 'The request is not valid HTTP.');
  }
}
