import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { createHash, randomBytes } from 'node:crypto';
import { Repository } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { newCsrfToken } from '../../../common/web/csrf.service';
import { AppConfig } from '../../../config/app-config';
import type { AuthUser } from '../../auth/auth-user';
import { ConsoleSession } from './console-session.entity';
import { sessionState, shouldTouch, type SessionLimits } from './domain/session-expiry';

/** A session that may be used for this request. */
export interface ActiveSession {
  id: string;
  user: AuthUser;
  csrfToken: string;
}

const MINUTE_MS = 60_000;

const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

/** Tokens are 32 random bytes in base64url: anything else is not one of ours and is not looked up. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Console sign-in sessions in PostgreSQL (`console_session`): started at sign-in with a new random token,
 * looked up on every console request (with the user's current role, scope and `active` flag), ended at
 * sign-out, after the idle or absolute timeout, when the user is disabled, or by an administrator
 * (`endAllForUser`).
 */
@Injectable()
export class ConsoleSessions {
  private readonly logger = new Logger(ConsoleSessions.name);

  constructor(
    @InjectRepository(ConsoleSession) private readonly sessions: Repository<ConsoleSession>,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  get absoluteTimeoutSeconds(): number {
    return this.config.env.CONSOLE_ABSOLUTE_TIMEOUT_MINUTES * 60;
  }

  private get limits(): SessionLimits {
    return { idleMs: this.config.env.CONSOLE_IDLE_TIMEOUT_MINUTES * MINUTE_MS };
  }

  /**
   * A new session for a user who has just proved who they are: always a new random token (a token the browser
   * held before is never kept), returned once for the cookie; only its hash is stored. Expired sessions are
   * cleared on the way.
   */
  async start(userId: string): Promise<{ token: string; session: ConsoleSession }> {
    const now = this.clock.now();
    await this.sessions
      .createQueryBuilder()
      .delete()
      .where('expires_at <= :now OR last_seen_at <= :idleSince', {
        now,
        idleSince: new Date(now.getTime() - this.limits.idleMs),
      })
      .execute();
    const token = randomBytes(32).toString('base64url');
    const session = await this.sessions.save(
      this.sessions.create({
        tokenHash: hashToken(token),
        userId,
        csrfToken: newCsrfToken(),
        createdAt: now,
        lastSeenAt: now,
        expiresAt: new Date(now.getTime() + this.absoluteTimeoutSeconds * 1000),
      }),
    );
    this.logger.log({ sessionId: session.id, userId }, 'Console session started');
    return { token, session };
  }

  /**
   * The session behind a cookie's token, if it may still be used: not timed out, and its user still active.
   * A session that may not is deleted, so the user is signed out for good.
   */
  async resolve(
    token: string | undefined,
    { activity = true }: { activity?: boolean } = {},
  ): Promise<ActiveSession | null> {
    if (!token || !TOKEN_SHAPE.test(token)) return null;
    const session = await this.sessions.findOne({
      where: { tokenHash: hashToken(token) },
      relations: { user: true },
    });
    if (!session?.user) return null;
    const now = this.clock.now();
    const state = session.user.active ? sessionState(session, this.limits, now) : 'user_disabled';
    if (state !== 'active') {
      await this.sessions.delete({ id: session.id });
      this.logger.log(
        { sessionId: session.id, userId: session.userId, reason: state },
        'Console session ended',
      );
      return null;
    }
    // Only the user's own requests keep the session alive (not a live stream the page reopens by itself).
    if (activity && shouldTouch(session, this.limits, now))
      await this.sessions.update({ id: session.id }, { lastSeenAt: now });
    const user = session.user;
    return {
      id: session.id,
      csrfToken: session.csrfToken,
      user: {
        id: user.id,
        email: user.email,
        name: user.name,
        role: user.role,
        trustId: user.trustId,
        supplierId: user.supplierId,
      },
    };
  }

  /** Signs this browser out. */
  async end(sessionId: string): Promise<void> {
    await this.sessions.delete({ id: sessionId });
    this.logger.log({ sessionId, reason: 'signed_out' }, 'Console session ended');
  }

  /** Ends every console session of a user (an administrator's "end sessions"); returns how many there were. */
  async endAllForUser(userId: string): Promise<number> {
    const result = await this.sessions.delete({ userId });
    const ended = result.affected ?? 0;
    this.logger.log({ userId, ended, reason: 'ended_by_admin' }, 'Console sessions ended');
    return ended;
  }
}
