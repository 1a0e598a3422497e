import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { FixedClock } from '../../src/common/time/clock';
import { QueueName } from '../../src/queue/queue-names';
import type { TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

export { flushPrefix } from '../helpers/redis-flush';

/** SLA test helpers: reading clocks, events and mail rows straight from the database, and losing a queue on purpose. */

export interface SlaClockJson {
  dueAt: string;
  metAt: string | null;
  breached: boolean;
  breachedByMinutes: number;
  remainingMinutes: number;
  percentElapsed: number;
  paused: boolean;
  stopped: boolean;
  calendar: string;
  targetMinutes: number;
}

export const at = (iso: string): Date => new Date(iso);

export async function incidentIdOf(db: DataSource, reference: string): Promise<string> {
  const [row] = await db.query<{ id: string }[]>('SELECT id FROM incident WHERE number = $1', [
    Number(reference.slice(4)),
  ]);
  return row.id;
}

export async function slaOf(
  t: TestApp,
  auth: { Authorization: string },
  reference: string,
): Promise<{ response: SlaClockJson; resolution: SlaClockJson }> {
  const res = await t.http().get(`/api/incidents/${reference}`).set(auth).expect(200);
  return res.body.sla;
}

/** `sla_warning`/`sla_breached` timeline entries of an incident, as "target:level". */
export async function slaTimeline(db: DataSource, incidentId: string): Promise<string[]> {
  const rows = await db.query<{ event_type: string; data: { target: string; level: number } }[]>(
    "SELECT event_type, data FROM incident_event WHERE incident_id = $1 AND event_type IN ('sla_warning', 'sla_breached') ORDER BY id",
    [incidentId],
  );
  return rows.map((r) => `${r.data.target}:${r.data.level}`);
}

export async function slaMails(
  db: DataSource,
  incidentId: string,
  template = 'sla-warning',
): Promise<{ to_address: string; subject: string }[]> {
  return db.query(
    'SELECT to_address, subject FROM outbound_message WHERE incident_id = $1 AND template = $2 ORDER BY created_at, id',
    [incidentId, template],
  );
}

export const slaQueue = (t: TestApp): Queue => t.app.get<Queue>(getQueueToken(QueueName.Sla));

/** Moves the desk clock and waits until the incident's SLA timeline has `count` entries. */
export async function advanceUntil(
  clock: FixedClock,
  to: Date,
  db: DataSource,
  incidentId: string,
  count: number,
  what: string,
  timeoutMs = 15_000,
): Promise<string[]> {
  clock.set(to);
  return waitFor(
    async () => {
      const events = await slaTimeline(db, incidentId);
      return events.length >= count ? events : undefined;
    },
    what,
    timeoutMs,
  );
}

/** Stops every SLA clock of these incidents, so that later tests' workers (on other clocks) leave them alone. */
export async function parkClocks(db: DataSource, incidentIds: readonly string[]): Promise<void> {
  if (incidentIds.length)
    await db.query('UPDATE incident_sla SET next_check_at = NULL WHERE incident_id = ANY($1::uuid[])', [
      incidentIds,
    ]);
}
