import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** The hidden form field every state-changing form carries. */
export const CSRF_FIELD = '_csrf';
/** The header htmx requests carry the token in. */
export const CSRF_HEADER = 'x-csrf-token';

/** Where a set of pages keeps its CSRF cookie: one cookie per path, so two page sets never share a token. */
export interface CsrfScope {
  /** Cookie name, e.g. `rosedesk_report_csrf`. */
  cookie: string;
  /** Cookie path: the pages' prefix, e.g. `/report`. */
  path: string;
  /** Mixed into the signature, so a token made for one set of pages is worthless on another. */
  purpose: string;
}

const COOKIE_VALUE = /^[A-Za-z0-9_-]{43}$/;
const NONCE = /^[A-Za-z0-9_-]{16}$/;

/** A new random token: 32 bytes in base64url (a CSRF cookie's value, or a session's form token). */
export const newCsrfToken = (): string => randomBytes(32).toString('base64url');

/**
 * True when `submitted` is the string `expected`, compared in constant time. The one comparison of form tokens,
 * for the signed double-submit below and for tokens bound to a server-side session (the console's).
 */
export function sameToken(expected: string, submitted: unknown): boolean {
  if (typeof submitted !== 'string') return false;
  const want = Buffer.from(expected);
  const given = Buffer.from(submitted);
  return want.length === given.length && timingSafeEqual(want, given);
}

/** The token a request carries: the hidden `_csrf` field of a form, else (htmx) the `X-CSRF-Token` header. */
export function submittedCsrfToken(req: FastifyRequest): unknown {
  const body = req.body;
  const field = body && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
  return field ?? req.headers[CSRF_HEADER];
}

/**
 * CSRF protection for server-rendered pages, a signed double-submit: the browser holds a random value in an
 * HttpOnly, SameSite=Lax cookie, and every form carries `nonce.HMAC(key, purpose, value, nonce)` in a hidden field
 * (or htmx in a header), with a fresh nonce per rendered form. A POST whose token does not match its own cookie was
 * not made from one of our pages. The key lives in the database (shared by every API instance, see WebModule), so
 * no server-side state is needed; and since each rendered form has a token of its own, a form sent twice (a double
 * click, the back button) is recognisable by its token (see ReportIntakeService).
 */
export class CsrfService {
  constructor(
    private readonly key: Buffer,
    /** Cookies carry `Secure` when the desk is served over https. */
    private readonly secureCookies: boolean,
  ) {}

  /** The token for the forms of this response, setting the cookie first when the browser has none (or a bad one). */
  tokenFor(req: FastifyRequest, reply: FastifyReply, scope: CsrfScope): string {
    const stash = req as FastifyRequest & { csrfCookies?: Record<string, string> };
    let value = stash.csrfCookies?.[scope.cookie] ?? req.cookies[scope.cookie];
    if (!value || !COOKIE_VALUE.test(value)) {
      value = newCsrfToken();
      reply.setCookie(scope.cookie, value, {
        httpOnly: true,
        sameSite: 'lax',
        secure: this.secureCookies,
        path: scope.path,
      });
      // Later reads in this request (a second form on the page) must see the new value.
      stash.csrfCookies = { ...stash.csrfCookies, [scope.cookie]: value };
    }
    const nonce = randomBytes(12).toString('base64url');
    return `${nonce}.${this.sign(scope, value, nonce)}`;
  }

  /** True when the submitted token (form field or header) was made for this browser's cookie. */
  verify(req: FastifyRequest, submitted: unknown, scope: CsrfScope): boolean {
    const value = req.cookies[scope.cookie];
    if (!value || !COOKIE_VALUE.test(value) || typeof submitted !== 'string') return false;
    const [nonce, signature, extra] = submitted.split('.');
    if (!nonce || !signature || extra !== undefined || !NONCE.test(nonce)) return false;
    return sameToken(this.sign(scope, value, nonce), signature);
  }

  private sign(scope: CsrfScope, value: string, nonce: string): string {
    return createHmac('sha256', this.key)
      .update(`${scope.purpose}-csrf:${value}:${nonce}`)
      .digest('base64url');
  }
}
