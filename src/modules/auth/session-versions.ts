import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import type { EntityManager, Repository } from 'typeorm';
import { errorText } from '../../common/errors/error-text';
import { AppConfig } from '../../config/app-config';
import { PgListener } from '../../database/pg-listener';
import { User } from '../users/user.entity';

/** What a request needs to know about its user beyond the token: is the token still theirs, and their name. */
export interface UserSession {
  tokenVersion: number;
  active: boolean;
  name: string;
}

/** The NOTIFY channel that says "this user's sessions changed" (payload: the user id) to every process. */
export const SESSIONS_CHANNEL = 'rosedesk_user_sessions';

/**
 * Without a notification (one lost, or a connection that died silently), a cached user is trusted this long: a
 * change reaches every process within 5 seconds whatever happens to the notifications.
 */
export const SESSION_CACHE_TTL_MS = 4_000;

/**
 * Each user's token version (app_user.token_version, carried in tokens as `ver`) and active flag, as the auth guard
 * checks them on every request. Kept in a short in-process cache that a PostgreSQL NOTIFY clears in every API
 * process; while this process's LISTEN connection is down nothing is cached (every request reads the row), and the
 * cache is emptied whenever that connection comes back.
 */
@Injectable()
export class SessionVersions implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(SessionVersions.name);
  private readonly cache = new LRUCache<string, UserSession>({ max: 10_000, ttl: SESSION_CACHE_TTL_MS });
  /** Reads in flight, shared by concurrent requests of one user. */
  private readonly loading = new Map<string, Promise<UserSession | null>>();
  /** Raised by every clearing: a read that began before it must not fill the cache with what it read. */
  private generation = 0;
  private listener: PgListener | null = null;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly config: AppConfig,
  ) {}

  async onModuleInit(): Promise<void> {
    // Only processes that serve HTTP check tokens.
    if (!this.config.runsHttp || !this.config.databaseUrl) return;
    this.listener = new PgListener(
      this.config.databaseUrl,
      SESSIONS_CHANNEL,
      { onNotification: (userId) => this.forget(userId), onGap: () => this.forgetAll() },
      (err) => this.logger.warn({ err: errorText(err) }, 'Session notifications lost; reconnecting'),
    );
    await this.listener.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.listener?.stop();
  }

  /** The user's current session facts, or null when there is no such user. */
  current(userId: string): Promise<UserSession | null> {
    const cached = this.cache.get(userId);
    if (cached) return Promise.resolve(cached);
    const inFlight = this.loading.get(userId);
    if (inFlight) return inFlight;
    const generation = this.generation;
    const load = this.read(userId).finally(() => {
      if (this.loading.get(userId) === load) this.loading.delete(userId);
    });
    this.loading.set(userId, load);
    return load.then((session) => {
      if (session && generation === this.generation && this.listener?.listening)
        this.cache.set(userId, session);
      return session;
    });
  }

  /**
   * Ends every token the user holds, inside the caller's transaction: raises the token version and tells every
   * process (the NOTIFY is delivered at commit). Call `forget` after the commit for this process. False when
   * there is no such user.
   */
  async endSessions(em: EntityManager, userId: string): Promise<boolean> {
    // An UPDATE answers [rows, affected].
    const [, updated] = await em.query<[unknown, number]>(
      'UPDATE app_user SET token_version = token_version + 1, updated_at = now() WHERE id = $1',
      [userId],
    );
    if (updated === 0) return false;
    await em.query('SELECT pg_notify($1, $2)', [SESSIONS_CHANNEL, userId]);
    return true;
  }

  /** Drops what this process knows of the user; the next request reads the row. */
  forget(userId: string): void {
    this.generation++;
    this.cache.delete(userId);
    this.loading.delete(userId);
  }

  private forgetAll(): void {
    this.generation++;
    this.cache.clear();
    this.loading.clear();
  }

  private async read(userId: string): Promise<UserSession | null> {
    const user = await this.users.findOne({
      where: { id: userId },
      select: { id: true, tokenVersion: true, active: true, name: true },
    });
    return user ? { tokenVersion: user.tokenVersion, active: user.active, name: user.name } : null;
  }
}
