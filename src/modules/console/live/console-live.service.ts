import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { errorText } from '../../../common/errors/error-text';
import { Clock } from '../../../common/time/clock';
import { AppConfig } from '../../../config/app-config';
import { PgListener } from '../../../database/pg-listener';
import type { AuthUser } from '../../auth/auth-user';
import { formatReference } from '../../incidents/domain/incident-reference';
import { IncidentScope } from '../../incidents/incident-access';
import { isDeskStaff } from '../../users/domain/roles';
import {
  parseSignal,
  PRESENCE_HEARTBEAT_MS,
  PresenceBook,
  type IncidentSignal,
  type LiveSignal,
  type PresenceSignal,
} from '../domain/live-events';

export const LIVE_CHANNEL = 'console_live';
/** A stream ends after this long and the browser's EventSource opens a new one (so the session is checked again). */
export const LIVE_STREAM_MS = 5 * 60_000;
const KEEPALIVE_MS = 15_000;
const SWEEP_MS = 1_000;

/** Sends a signal to every console process, in `em`'s transaction (delivered at its commit) or at once. */
export async function sendLiveSignal(em: EntityManager, signal: LiveSignal): Promise<void> {
  await em.query(`SELECT pg_notify('${LIVE_CHANNEL}', $1)`, [JSON.stringify(signal)]);
}

/**
 * The SQL that sends the signals in the jsonb array `param` (a participant's notifySql: new incidents' signals,
 * sent by their create statement), only where `where` holds.
 */
export function liveSignalsSql(param: string, where: string): string {
  return `SELECT pg_notify('${LIVE_CHANNEL}', s::text) FROM jsonb_array_elements(${param}::jsonb) AS s${where ? ` WHERE ${where}` : ''}`;
}

/** One open event stream: a browser on a list (incident null) or on an incident page. */
export interface LiveClient {
  readonly id: string;
  readonly user: AuthUser;
  readonly incident: number | null;
  write(event: string, data: unknown): void;
  comment(text: string): void;
}

/**
 * The console's live updates across processes: every process serving HTTP LISTENs on `console_live`; a change to
 * an incident (ConsoleParticipant, in the change's transaction) and a desk user's presence or typing reach every
 * process's open streams. Each stream gets only what its user's scope allows: an incident outside it, a change
 * that only touched internal notes (outside the desk) and anyone's presence or typing (outside the desk) never.
 * The browser is told which incident changed, nothing more, and reads the page again through its own session.
 */
@Injectable()
export class ConsoleLive implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(ConsoleLive.name);
  private readonly clients = new Map<string, LiveClient>();
  private readonly presence = new PresenceBook();
  private listener: PgListener | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastHeartbeat = 0;
  private lastKeepalive = 0;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly scope: IncidentScope,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    if (!this.config.runsHttp || !this.config.databaseUrl) return;
    this.listener = new PgListener(
      this.config.databaseUrl,
      LIVE_CHANNEL,
      {
        onNotification: (payload) => void this.received(payload),
        onGap: () => this.gap(),
      },
      (err) => this.logger.warn({ err: errorText(err) }, 'Console live notifications lost; reconnecting'),
    );
    await this.listener.start();
    this.timer = setInterval(() => void this.sweep(), SWEEP_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.listener?.stop();
  }

  /** A stream opened: desk users on an incident page are announced there. */
  async open(client: LiveClient): Promise<void> {
    this.clients.set(client.id, client);
    if (client.incident !== null && isDeskStaff(client.user)) {
      client.write('presence', this.presence.view(client.incident, client.user.id));
      await this.announce(client, 'here');
    }
  }

  async close(client: LiveClient): Promise<void> {
    if (!this.clients.delete(client.id)) return;
    if (client.incident !== null && isDeskStaff(client.user)) await this.announce(client, 'left');
  }

  /** A desk user typing on an incident page (the browser says so every few seconds while keys are pressed). */
  async typing(user: AuthUser, incidentNumber: number, what: 'reply' | 'note'): Promise<void> {
    if (!isDeskStaff(user)) return;
    // One connection per user and incident page stands for their typing: the first open one, else a stable id.
    const client = [...this.clients.values()].find(
      (c) => c.user.id === user.id && c.incident === incidentNumber,
    );
    await this.signal({
      type: 'presence',
      n: incidentNumber,
      conn: client?.id ?? randomUUID(),
      user: user.id,
      name: user.name,
      state: what === 'note' ? 'typing_note' : 'typing_reply',
    });
  }

  /** Newly opened stream id. */
  newId(): string {
    return randomUUID();
  }

  private async announce(client: LiveClient, state: PresenceSignal['state']): Promise<void> {
    if (client.incident === null) return;
    await this.signal({
      type: 'presence',
      n: client.incident,
      conn: client.id,
      user: client.user.id,
      name: client.user.name,
      state,
    });
  }

  private async signal(signal: LiveSignal): Promise<void> {
    try {
      await sendLiveSignal(this.db.manager, signal);
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'Console live signal not sent');
    }
  }

  private async received(payload: string): Promise<void> {
    const signal = parseSignal(payload);
    if (!signal) return;
    try {
      if (signal.type === 'incident') await this.deliverIncident(signal);
      else if (this.presence.apply(signal, this.clock.now().getTime())) this.showPresence(signal.n);
    } catch (err) {
      this.logger.warn({ err: errorText(err), incident: signal.n }, 'Console live event not delivered');
    }
  }

  private async deliverIncident(signal: IncidentSignal): Promise<void> {
    const reference = formatReference(signal.n);
    const allowed = new Map<string, boolean>();
    for (const client of this.clients.values()) {
      if (client.incident !== null && client.incident !== signal.n) continue;
      if (!isDeskStaff(client.user)) {
        if (signal.deskOnly) continue;
        let ok = allowed.get(client.user.id);
        if (ok === undefined) {
          ok = await this.visible(client.user, signal.n);
          allowed.set(client.user.id, ok);
        }
        if (!ok) continue;
      }
      client.write('incident', { reference });
    }
  }

  /** Whether the user's scope (the one rule) lets them see incident n. */
  private async visible(user: AuthUser, n: number): Promise<boolean> {
    const scope = this.scope.sql(user, 'i', 2);
    const rows = await this.db.query<unknown[]>(
      `SELECT 1 FROM incident i WHERE i.number = $1 AND ${scope.sql}`,
      [n, ...scope.params],
    );
    return rows.length > 0;
  }

  private showPresence(n: number): void {
    for (const client of this.clients.values()) {
      if (client.incident === n && isDeskStaff(client.user))
        client.write('presence', this.presence.view(n, client.user.id));
    }
  }

  private gap(): void {
    this.presence.clear();
    // Changes sent while the connection was away are lost: every page reads itself again.
    for (const client of this.clients.values()) client.write('incident', { reference: null });
  }

  private async sweep(): Promise<void> {
    const now = this.clock.now().getTime();
    for (const n of this.presence.expire(now)) this.showPresence(n);
    if (Date.now() - this.lastKeepalive >= KEEPALIVE_MS) {
      this.lastKeepalive = Date.now();
      for (const client of this.clients.values()) client.comment('keep-alive');
    }
    if (Date.now() - this.lastHeartbeat >= PRESENCE_HEARTBEAT_MS) {
      this.lastHeartbeat = Date.now();
      for (const client of this.clients.values())
        if (client.incident !== null && isDeskStaff(client.user)) await this.announce(client, 'here');
    }
  }
}
