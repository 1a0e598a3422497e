import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { hiddenField, openIncidentPage, publicReplies } from '../helpers/incident-page';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * The version check of an incident form runs in the change's own transaction, on the locked row: a change that
 * another writer commits while the form's change waits for the row is seen, and the form is refused (409, the
 * draft kept), never written over it.
 */
describe('console version check inside the change transaction', () => {
  let t: TestApp;
  let other: SignedInUser;

  beforeAll(async () => {
    t = await createTestApp();
    other = await signedInUser(t, 'agent');
  });
  afterAll(() => t.close());

  /** Whether a session waits for a lock the writer (its backend pid) holds: the console's change, queued. */
  const blockedBy = (writerPid: number) => async (): Promise<boolean> =>
    (
      await t.db.query<{ n: number }[]>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))',
        [writerPid],
      )
    )[0].n > 0;

  it('refuses a reply whose incident another writer changed while the reply waited for the row', async () => {
    const { c, reference, page } = await openIncidentPage(t, other);
    const writer = t.db.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      const [{ pid }] = (await writer.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      const [{ id }] = (await writer.query('SELECT id FROM incident WHERE number = $1 FOR UPDATE', [
        Number(reference.slice(4)),
      ])) as { id: string }[];
      // The reply is posted while the other writer holds the row: the form's version is still current.
      const draft = 'The engineer is booked for tomorrow morning.';
      const posted = c.post(`/console/incidents/${reference}/reply`, {
        _csrf: c.csrf,
        body: draft,
        version: hiddenField(page, 'version'),
        seen: hiddenField(page, 'seen'),
      });
      await waitFor(blockedBy(pid), "the reply's transaction waiting for the incident row");
      // The other writer's change (a new version of the row) commits; only then does the reply get the row.
      await writer.query(
        `UPDATE incident SET priority = 'P1', priority_overridden = true, priority_reason = 'Ward closed',
                version = version + 1 WHERE id = $1`,
        [id],
      );
      await writer.commitTransaction();
      const refused = await posted;
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('Someone else changed this incident while you were writing');
      expect(refused.text).toContain(`>${draft}</textarea>`);
      expect(await publicReplies(t, reference)).toEqual([]);
      // From the page that shows the change, the same reply goes through.
      const sent = await c.post(`/console/incidents/${reference}/reply`, {
        _csrf: c.csrf,
        body: draft,
        version: hiddenField(refused.text, 'version'),
        seen: hiddenField(refused.text, 'seen'),
      });
      expect(sent.status).toBe(303);
      expect(await publicReplies(t, reference)).toEqual([draft]);
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
    }
  });

  it('lets a change through when the row it waited for was only read, not changed', async () => {
    const { c, reference, page } = await openIncidentPage(t, other);
    const writer = t.db.createQueryRunner();
    await writer.connect();
    try {
      await writer.startTransaction();
      const [{ pid }] = (await writer.query('SELECT pg_backend_pid() AS pid')) as { pid: number }[];
      await writer.query('SELECT id FROM incident WHERE number = $1 FOR UPDATE', [
        Number(reference.slice(4)),
      ]);
      const posted = c.post(`/console/incidents/${reference}/note`, {
        _csrf: c.csrf,
        body: 'Checked the switch logs.',
        version: hiddenField(page, 'version'),
        seen: hiddenField(page, 'seen'),
      });
      await waitFor(blockedBy(pid), "the note's transaction waiting for the incident row");
      await writer.commitTransaction();
      expect((await posted).status).toBe(303);
    } finally {
      if (writer.isTransactionActive) await writer.rollbackTransaction();
      await writer.release();
    }
  });
});
