import { randomBytes } from 'node:crypto';
import { InboundRows, LostClaimError, type ClaimedRow } from '../../src/modules/intake/email/inbound-rows';
import { InboundStore } from '../../src/modules/intake/email/inbound-store.service';
import { IntakeEffects, type NewEmailIncident } from '../../src/modules/intake/email/intake-effects.service';
import { StepLog } from '../../src/modules/intake/email/step-log';
import {
  createService,
  createSite,
  createSupplier,
  createTrust,
  uniqueEmail,
} from '../factories/directory.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * A plain mail's new incident and its outcome are one statement guarded by the run's claim. When another run has
 * taken the message over in the meantime, that statement writes nothing at all: no incident, no acknowledgement,
 * no outcome. With a claim that holds, both are written together.
 */
describe('email intake: the create guarded by the claim', () => {
  let t: TestApp;
  let effects: IntakeEffects;
  let rows: InboundRows;
  let store: InboundStore;

  beforeAll(async () => {
    t = await createTestApp();
    effects = t.app.get(IntakeEffects);
    rows = t.app.get(InboundRows);
    store = t.app.get(InboundStore);
  });
  afterAll(async () => {
    await t.close();
  });

  async function claimedMessage(): Promise<ClaimedRow> {
    const id = await store.store({
      source: 'smtp',
      raw: Buffer.from(`Subject: test ${randomBytes(4).toString('hex')}\r\n\r\nbody\r\n`),
    });
    const claim = await rows.claim(id);
    if (!claim) throw new Error('the stored message could not be claimed');
    return claim;
  }

  async function plainIncident(summary: string, reporter: string): Promise<NewEmailIncident> {
    const site = await createSite(t.db, await createTrust(t.db), { classCode: 'hospital' });
    const service = await createService(t.db, await createSupplier(t.db));
    return {
      siteCode: site.code,
      serviceCode: service.code,
      impact: 'one_user',
      urgency: 'medium',
      summary,
      description: 'The printer on ward 3 is jammed.',
      reportedAt: new Date(),
      reporter: { name: 'Nurse Claim', email: reporter },
      relatedIncidentId: null,
      acknowledgement: { send: true, inReplyTo: null, references: [] },
      triage: null,
      copied: [],
      files: [],
    };
  }

  const actor = (email: string) => ({
    kind: 'reporter' as const,
    name: 'Nurse Claim',
    email,
    contactId: null,
  });
  const pending = { messageId: null, sender: null, subject: null, kind: 'human' as const };

  it('writes nothing when another run took the message over, and both the incident and the outcome when the claim holds', async () => {
    const lostSummary = `Lost claim ${randomBytes(4).toString('hex')}`;
    const reporter = uniqueEmail('claim');
    const lost = await claimedMessage();
    // Another run claims it: its attempt number moves on, so this run's claim no longer matches.
    await t.db.query('UPDATE inbound_message SET attempts = attempts + 1 WHERE id = $1', [lost.id]);
    await expect(
      effects.create(
        lost,
        new StepLog(() => new Date()),
        await plainIncident(lostSummary, reporter),
        actor(reporter),
        pending,
      ),
    ).rejects.toBeInstanceOf(LostClaimError);
    expect(await t.db.query('SELECT id FROM incident WHERE summary = $1', [lostSummary])).toEqual([]);
    expect(await t.db.query('SELECT id FROM contact WHERE email = $1', [reporter])).toEqual([]);
    expect(await t.db.query('SELECT id FROM outbound_message WHERE to_address = $1', [reporter])).toEqual([]);
    const [after] = await t.db.query(
      'SELECT status, attempts, incident_id FROM inbound_message WHERE id = $1',
      [lost.id],
    );
    expect(after).toEqual({ status: 'processing', attempts: lost.attempt + 1, incident_id: null });

    const keptSummary = `Kept claim ${randomBytes(4).toString('hex')}`;
    const kept = await claimedMessage();
    const reference = await effects.create(
      kept,
      new StepLog(() => new Date()),
      await plainIncident(keptSummary, reporter),
      actor(reporter),
      pending,
    );
    const [incident] = await t.db.query('SELECT id, number FROM incident WHERE summary = $1', [keptSummary]);
    expect(reference).toBe(`INC-${String(incident.number).padStart(6, '0')}`);
    const [done] = await t.db.query(
      'SELECT status, decision, incident_id, log FROM inbound_message WHERE id = $1',
      [kept.id],
    );
    expect(done).toMatchObject({ status: 'processed', decision: 'created', incident_id: incident.id });
    expect((done.log as { name: string; decision: string }[]).map((e) => [e.name, e.decision])).toEqual([
      ['createOrAppend', 'created'],
    ]);
    expect(
      await t.db.query('SELECT template FROM outbound_message WHERE incident_id = $1', [incident.id]),
    ).toEqual([{ template: 'incident-acknowledgement' }]);
  });
});
