import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

const PAUSED = '9999-12-31T00:00:00.000Z';
const ALL_STOPPED = '9999-12-31T23:59:59.999Z';

/**
 * sla_urgency, kept by the triggers on incident_sla: a new incident's urgency from the clocks its create wrote, a
 * clock added beside others from all of them, a change of a due time, a stop or a pause from all of them. Each expectation is read from the clocks
 * themselves, not from the code under test.
 */
describe('SLA urgency (sla_urgency triggers)', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let make: (summary: string) => Promise<{ id: string; reference: string }>;

  const urgency = async (id: string): Promise<string> => {
    const [row] = await t.db.query<{ urgency: Date }[]>(
      'SELECT urgency FROM sla_urgency WHERE incident_id = $1',
      [id],
    );
    return row.urgency.toISOString();
  };
  const dues = async (id: string): Promise<Record<string, string>> => {
    const rows = await t.db.query<{ target: string; due_at: Date }[]>(
      'SELECT target, due_at FROM incident_sla WHERE incident_id = $1',
      [id],
    );
    return Object.fromEntries(rows.map((r) => [r.target, r.due_at.toISOString()]));
  };

  beforeAll(async () => {
    t = await createTestApp();
    agent = await signedInUser(t, 'agent');
    const world = await incidentWorld(t);
    make = async (summary) => {
      const { reference } = await createIncident(
        t,
        agent.auth,
        incidentBody(world.site, world.service, { summary }),
      );
      const [row] = await t.db.query<{ id: string }[]>('SELECT id FROM incident WHERE number = $1', [
        Number(reference.slice(4)),
      ]);
      return { id: row.id, reference };
    };
  });
  afterAll(() => t.close());

  it('a new incident is as urgent as the earlier due of the two clocks its create wrote', async () => {
    const { id } = await make('Urgency of a new incident');
    const due = await dues(id);
    expect(Object.keys(due).sort()).toEqual(['resolution', 'response']);
    const earlier = [due.response, due.resolution].sort()[0];
    expect(await urgency(id)).toBe(earlier);
  });

  it('a clock inserted beside an existing one is weighed with it (read back from all the clocks)', async () => {
    const { id } = await make('Urgency after a clock is added');
    const due = await dues(id);
    // Take the response clock away (the urgency row stays, as after any change), then insert it again due later than
    // the resolution clock: the urgency becomes the resolution clock's due, which this insert's rows do not hold.
    await t.db.query(`DELETE FROM incident_sla WHERE incident_id = $1 AND target = 'response'`, [id]);
    await t.db.query(
      `INSERT INTO incident_sla (incident_id, target, calendar_code, target_minutes, started_at, due_at, elapsed_ms, computed_at)
       SELECT incident_id, 'response', calendar_code, target_minutes, started_at, $2::timestamptz + interval '1 day', 0, now()
         FROM incident_sla WHERE incident_id = $1 AND target = 'resolution'`,
      [id, due.resolution],
    );
    expect(await urgency(id)).toBe(due.resolution);
  });

  it('a new incident whose clocks were inserted stopped, or paused, gets the far sentinels', async () => {
    const stopped = await make('Urgency with every clock stopped');
    const paused = await make('Urgency with every clock paused');
    for (const { id } of [stopped, paused])
      await t.db.query('DELETE FROM sla_urgency WHERE incident_id = $1', [id]);
    // Clocks written again in one statement for incidents with no urgency row: as a create (or a bulk load) writes them.
    await t.db.query('DELETE FROM incident_sla WHERE incident_id = ANY($1::uuid[])', [
      [stopped.id, paused.id],
    ]);
    await t.db.query(
      `INSERT INTO incident_sla (incident_id, target, calendar_code, target_minutes, started_at, due_at, stopped_at,
         paused, elapsed_ms, computed_at)
       SELECT x.id, tg, '24x7', 60, now(), now() + interval '1 hour', CASE WHEN x.id = $1 THEN now() END,
         x.id = $2, 0, now()
       FROM unnest($3::uuid[]) AS x(id), unnest(ARRAY['response', 'resolution']) AS tg`,
      [stopped.id, paused.id, [stopped.id, paused.id]],
    );
    expect(await urgency(stopped.id)).toBe(ALL_STOPPED);
    expect(await urgency(paused.id)).toBe(PAUSED);
  });

  it('an update that moves a due time moves the urgency; one that changes nothing it is made of leaves it', async () => {
    const { id } = await make('Urgency after updates');
    const due = await dues(id);
    const earlier = [due.response, due.resolution].sort()[0];
    // The level timer moves on (next_check_at, elapsed_ms): the urgency stays what the clocks say.
    await t.db.query(
      `UPDATE incident_sla SET next_check_at = now() + interval '1 hour', elapsed_ms = elapsed_ms + 1000 WHERE incident_id = $1`,
      [id],
    );
    expect(await urgency(id)).toBe(earlier);
    // The response clock made due a day earlier: that is the urgency now.
    await t.db.query(
      `UPDATE incident_sla SET due_at = due_at - interval '1 day' WHERE incident_id = $1 AND target = 'response'`,
      [id],
    );
    const moved = (await dues(id)).response;
    expect(moved < due.response).toBe(true);
    expect(await urgency(id)).toBe(moved);
    // Both stopped (resolved): the far sentinel.
    await t.db.query('UPDATE incident_sla SET stopped_at = now() WHERE incident_id = $1', [id]);
    expect(await urgency(id)).toBe(ALL_STOPPED);
  });

  it('waiting for the caller pauses both clocks, and the urgency follows', async () => {
    const { reference, id } = await make('Urgency while waiting for the caller');
    await t
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(agent.auth)
      .send({ to: 'awaiting_caller', comment: 'Which room?' })
      .expect(200);
    expect(await urgency(id)).toBe(PAUSED);
  });
});
