import { Controller, Get, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../../common/errors/domain-error';
import { CsrfService, submittedCsrfToken } from '../../common/web/csrf.service';
import { AppConfig } from '../../config/app-config';
import { Public } from '../auth/auth.decorators';
import { AuthService } from '../auth/auth.service';
import { layoutModel } from './console-layout';
import { ConsolePageFilter } from './console-page.filter';
import { CONSOLE_LOGIN_CSRF, formBody, sendHtml, SESSION_COOKIE } from './console-request';
import { ConsoleViews } from './console-views';
import { sessionCookieOptions } from './sessions/domain/session-expiry';
import { ConsoleSessions } from './sessions/console-sessions.service';

/** `GET /` → the console; `GET /console/login` the sign-in form; `POST /console/login` signs in (throttled). */
@Public()
@ApiExcludeController()
@UseFilters(ConsolePageFilter)
@Controller()
export class ConsoleLoginController {
  constructor(
    private readonly auth: AuthService,
    private readonly sessions: ConsoleSessions,
    private readonly csrf: CsrfService,
    private readonly views: ConsoleViews,
    private readonly config: AppConfig,
  ) {}

  @Get()
  async root(@Res() res: FastifyReply): Promise<void> {
    await res.redirect('/console', 303);
  }

  @Get('console/login')
  async form(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    // Signed in already: the form still shows (signing in again replaces the session), with a way back.
    const current = await this.sessions.resolve(req.cookies[SESSION_COOKIE]);
    sendHtml(
      res,
      200,
      this.page(req, res, { email: '', error: null, signedInAs: current?.user.name ?? null }),
    );
  }

  @Post('console/login')
  async signIn(@Req() req: FastifyRequest, @Res() res: FastifyReply): Promise<void> {
    const body = formBody(req);
    if (!this.csrf.verify(req, submittedCsrfToken(req), CONSOLE_LOGIN_CSRF))
      throw new DomainError('CONSOLE.CSRF_INVALID', 'The sign-in form token is missing or wrong.');
    const email = typeof body.email === 'string' ? body.email.trim() : '';
    const password = typeof body.password === 'string' ? body.password : '';
    if (!email || !password || email.length > 320 || password.length > 1024) {
      sendHtml(res, 400, this.page(req, res, { email, error: 'Enter your email address and password.' }));
      return;
    }
    let userId: string;
    try {
      userId = (await this.auth.verifyCredentials(email, password, req.ip)).id;
    } catch (err) {
      if (!(err instanceof DomainError) || err.code !== 'AUTH.INVALID_CREDENTIALS') throw err;
      sendHtml(res, 401, this.page(req, res, { email, error: 'Email or password is wrong.' }));
      return;
    }
    // Whatever session this browser had (another user's, or an old one of this user's) ends: a sign-in always
    // gets a new session id.
    const previous = await this.sessions.resolve(req.cookies[SESSION_COOKIE]);
    if (previous) await this.sessions.end(previous.id);
    const { token } = await this.sessions.start(userId);
    const options = sessionCookieOptions(
      this.config.env.PUBLIC_BASE_URL,
      this.sessions.absoluteTimeoutSeconds,
    );
    void res.setCookie(SESSION_COOKIE, token, options).header('Cache-Control', 'no-store');
    await res.redirect('/console', 303);
  }

  private page(
    req: FastifyRequest,
    res: FastifyReply,
    form: { email: string; error: string | null; signedInAs?: string | null },
  ): string {
    return this.views.render('login', {
      ...layoutModel(undefined, 'Sign in'),
      loginCsrf: this.csrf.tokenFor(req, res, CONSOLE_LOGIN_CSRF),
      ...form,
    });
  }
}
