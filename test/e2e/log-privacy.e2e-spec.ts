import { Writable } from 'node:stream';
import { StatusLinkService } from '../../src/modules/incidents/status-link.service';
import { createIncident, incidentBody, incidentWorld } from '../factories/incident.factory';
import { signedInUser, type SignedInUser } from '../factories/user.factory';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

/**
 * Logs carry ids and decisions, never personal data, tokens or SQL parameters. The app logs as `npm start` does
 * into a captured stream; bad inputs (database errors on create, on an upload and on a new user, a failed sign-in,
 * searches, a status link) go through it, and the whole log is then scanned for every value that was sent.
 */
describe('logs of bad inputs', () => {
  let t: TestApp;
  let agent: SignedInUser;
  let admin: SignedInUser;
  const log: string[] = [];
  const lines = (): Record<string, unknown>[] =>
    log
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  // A CHECK constraint (NOT VALID: only new rows) that refuses rows naming this marker makes the database fail
  // the statement, as a real fault would, with the row's values in the error's parameters and detail.
  const MARKER = 'log-probe';
  const PROBES = [
    ['incident', 'summary'],
    ['attachment', 'filename'],
    ['app_user', 'name'],
  ] as const;

  const secrets = {
    reporterName: 'Marianne Quillfeather',
    reporterEmail: 'marianne.quillfeather@example.test',
    reporterPhone: '+447700900987',
    description: 'Patient records terminal in bay seven',
    fileText: 'confidential-attachment-bytes',
    userName: `${MARKER} Bartholomew Pennywhistle`,
    userEmail: 'bartholomew.pennywhistle@example.test',
    userPassword: 'Zebra-Lantern-Orbit-4471',
    loginEmail: 'ottoline.marchbanks@example.test',
    loginPassword: 'Violet-Harbour-Quest-9183',
    searchTerm: 'haematology-fistula',
    contactSearch: 'quillfeather',
  };
  const found: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp({
      log: new Writable({
        write(chunk: Buffer, _encoding, done) {
          log.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    agent = await signedInUser(t, 'agent');
    admin = await signedInUser(t, 'admin');
    for (const [table, column] of PROBES) {
      await t.db.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_log_probe CHECK (position('${MARKER}' in ${column}) = 0) NOT VALID`,
      );
    }
  });
  afterAll(async () => {
    for (const [table] of PROBES) await t.db.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_log_probe`);
    await t.close();
  });

  it('logs a database error on create, an upload and a new user as error id, class, code and message only', async () => {
    const { site, service } = await incidentWorld(t);
    const reporter = {
      name: secrets.reporterName,
      email: secrets.reporterEmail,
      phone: secrets.reporterPhone,
    };
    const create = await t
      .http()
      .post('/api/incidents')
      .set(agent.auth)
      .send(
        incidentBody(site, service, {
          summary: `${MARKER} Wi-Fi`,
          description: secrets.description,
          reporter,
        }),
      )
      .expect(500);

    const { reference } = await createIncident(t, agent.auth, incidentBody(site, service, { reporter }));
    const upload = await t
      .http()
      .post(`/api/incidents/${reference}/attachments`)
      .set(agent.auth)
      .attach('file', Buffer.from(secrets.fileText), `${MARKER}.txt`)
      .expect(500);

    const user = await t
      .http()
      .post('/api/users')
      .set(admin.auth)
      .send({
        email: secrets.userEmail,
        name: secrets.userName,
        password: secrets.userPassword,
        role: 'agent',
      })
      .expect(500);

    const ids = [create, upload, user].map((r) => (r.body as { errorId: string }).errorId);
    const errors = await waitFor(() => {
      const hits = lines().filter((l) => ids.includes(l.errorId as string));
      return Promise.resolve(hits.length === ids.length && hits);
    }, 'the three error lines');
    for (const line of errors) {
      expect(line.err).toEqual({
        type: 'QueryFailedError',
        code: '23514',
        constraint: expect.stringMatching(/_log_probe$/),
        message: expect.any(String),
      });
      expect(line.path).toEqual(expect.stringMatching(/^\/api\//));
    }
  });

  it('logs sign-ins, searches, cursors and status links without the values sent', async () => {
    await t
      .http()
      .post('/api/auth/login')
      .send({ email: secrets.loginEmail, password: secrets.loginPassword })
      .expect(401);
    await t
      .http()
      .get('/api/incidents')
      .query({ q: secrets.searchTerm, limit: 5 })
      .set(agent.auth)
      .expect(200);
    await t.http().get('/api/contacts').query({ q: secrets.contactSearch }).set(agent.auth).expect(200);
    const first = await t.http().get('/api/users').query({ limit: 1 }).set(admin.auth).expect(200);
    found.cursor = first.body.nextCursor as string;
    await t.http().get('/api/users').query({ limit: 1, cursor: found.cursor }).set(admin.auth).expect(200);

    const { site, service } = await incidentWorld(t);
    const created = await createIncident(t, agent.auth, incidentBody(site, service));
    const [{ id }] = await t.db.query<{ id: string }[]>(
      `SELECT id FROM incident WHERE 'INC-' || lpad(number::text, 6, '0') = $1`,
      [created.reference],
    );
    found.token = t.app.get(StatusLinkService).token(id, new Date());
    await t.http().get(`/report/status/${found.token}`).expect(200);
    await t.http().get(`/report/thanks/${found.token}`).expect(200);

    const urls = await waitFor(() => {
      const seen = lines()
        .filter((l) => l.msg === 'request completed')
        .map((l) => (l.req as { url: string }).url);
      return Promise.resolve(seen.some((u) => u.startsWith('/report/thanks/')) && seen);
    }, 'the request lines');
    expect(urls).toContain('/report/status/…');
    expect(urls).toContain('/report/thanks/…');
    expect(urls).toContain('/api/incidents?q=…&limit=5');
    expect(urls).toContain('/api/users?limit=1&cursor=…');
  });

  it('holds none of the values sent anywhere in the whole log', () => {
    const whole = log.join('');
    expect(whole.length).toBeGreaterThan(0);
    const values = { ...secrets, ...found };
    const leaked = Object.entries(values)
      .filter(([, value]) => whole.toLowerCase().includes(value.toLowerCase()))
      .map(([what]) => what);
    expect(leaked).toEqual([]);
    // An uploaded file logged as a byte array, and any password hash.
    const bytes = [...Buffer.from(secrets.fileText).subarray(0, 8)].join(',');
    expect(whole.replace(/\s/g, '')).not.toContain(bytes);
    expect(whole).not.toContain('$argon2');
    // The marker was sent in the rows the database refused; the constraints' names (…_log_probe) may appear.
    expect(whole).not.toContain(MARKER);
  });
});
