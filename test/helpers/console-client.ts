import { randomInt } from 'node:crypto';
import type { Response } from 'supertest';
import type { TestApp } from './test-app';

export const SESSION_COOKIE = 'rosedesk_console_session';

/** The value of the hidden `_csrf` input of the first form in a page. */
export function csrfOf(html: string): string {
  const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error('no CSRF token in the page');
  return token;
}

/** `name=value` pairs of the response's Set-Cookie headers, for the next request's Cookie header. */
export function cookiesOf(res: Response): Record<string, string> {
  const raw = res.headers['set-cookie'] as unknown as string[] | undefined;
  const out: Record<string, string> = {};
  for (const line of raw ?? []) {
    const [pair] = line.split(';');
    const eq = pair.indexOf('=');
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

export const cookieHeader = (jar: Record<string, string>): string =>
  Object.entries(jar)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `${k}=${v}`)
    .join('; ');

/** A browser-like console user over supertest: a cookie jar, and the form token of the last page read. */
export class ConsoleClient {
  readonly jar: Record<string, string> = {};
  csrf = '';
  /** Each client is a browser at an address of its own (X-Forwarded-For is believed from loopback). */
  readonly address = `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

  constructor(private readonly t: TestApp) {}

  remember(res: Response): Response {
    Object.assign(this.jar, cookiesOf(res));
    const token = /name="_csrf" value="([^"]+)"/.exec(res.text ?? '')?.[1];
    if (token) this.csrf = token;
    return res;
  }

  async get(path: string): Promise<Response> {
    return this.remember(
      await this.t
        .http()
        .get(path)
        .set('Cookie', cookieHeader(this.jar))
        .set('X-Forwarded-For', this.address),
    );
  }

  async post(
    path: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<Response> {
    return this.remember(
      await this.t
        .http()
        .post(path)
        .set('Cookie', cookieHeader(this.jar))
        .set('X-Forwarded-For', this.address)
        .set(headers)
        .type('form')
        .send(form),
    );
  }

  /** Opens the sign-in page and signs in; returns the POST's response (303 on success). */
  async signIn(email: string, password: string): Promise<Response> {
    await this.get('/console/login');
    return this.post('/console/login', { email, password, _csrf: this.csrf });
  }
}
