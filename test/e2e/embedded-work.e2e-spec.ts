import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startDesk, waitForHealth, type DeskProcess } from '../helpers/desk-process';
import { RawSmtpClient } from '../helpers/smtp-client';
import { waitFor } from '../helpers/wait-for';

/**
 * The desk's daily work in the zero-setup mode, as a real process. The embedded database is one PGlite session:
 * while a transaction is open it belongs to that transaction's connection alone, so any query the code makes on
 * another connection before the commit waits forever and the whole desk stops (health 503, every request hangs).
 * These runs go through the paths that once did that: an incident created while the SLA calendars must be
 * reloaded (after an admin change, or once the cache is stale), and an email through the intake pipeline.
 */
interface IncidentJson {
  reference: string;
  channel: string;
  summary: string;
  sla: { response: { dueAt: string }; resolution: { dueAt: string } };
}

describe('embedded mode at work (incidents, SLA, email), as a real process', () => {
  jest.setTimeout(120_000);
  const ANSWER_WITHIN_MS = 15_000;
  let dataDir: string;
  let desk: DeskProcess;
  let base: string;
  let smtpPort: number;
  let token: string;

  const api = async <T = unknown>(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: T }> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      // A hang is the failure this test is about: say so instead of waiting for jest's timeout.
      signal: AbortSignal.timeout(ANSWER_WITHIN_MS),
    });
    const text = await res.text();
    return { status: res.status, json: (text ? JSON.parse(text) : null) as T };
  };

  const newIncident = (summary: string) => ({
    siteCode: '1001',
    service: 'wireless',
    impact: 'one_user',
    urgency: 'medium',
    summary,
    description: 'The clinical Wi-Fi drops every few minutes in the outpatients waiting area.',
    reporter: { name: 'Embedded Reporter', email: 'embedded.reporter@lancashirecare.nhs.uk' },
  });

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'rosedesk-embedded-work-'));
    const port = await freePort();
    smtpPort = await freePort();
    base = `http://127.0.0.1:${port}`;
    desk = startDesk({
      DATA_DIR: dataDir,
      PORT: String(port),
      SMTP_INTAKE_PORT: String(smtpPort),
      ADMIN_PASSWORD: 'embedded-admin-password',
      OUTBOX_DIR: join(dataDir, 'outbox'),
      LOG_LEVEL: 'warn',
    });
    await waitForHealth(port, desk);
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'admin@rosedesk.local', password: 'embedded-admin-password' }),
    });
    token = ((await res.json()) as { accessToken: string }).accessToken;
  });

  afterAll(async () => {
    desk.child.kill('SIGTERM');
    await desk.exited;
    await rm(dataDir, { recursive: true, force: true });
  });

  it('creates incidents with their SLA clocks, also right after a bank-holiday change makes the calendars reload', async () => {
    const first = await api<IncidentJson>(
      'POST',
      '/api/incidents',
      newIncident('Wi-Fi drops in outpatients'),
    );
    expect(first.status).toBe(201);
    expect(first.json.sla.response.dueAt).toEqual(expect.any(String));

    // An override changes every calendar with bank holidays: the next SLA computation must reload them.
    expect(
      (
        await api('PUT', '/api/sla/holidays/overrides/2030-07-01', {
          action: 'add',
          name: 'Embedded test day',
        })
      ).status,
    ).toBe(200);
    const second = await api<IncidentJson>(
      'POST',
      '/api/incidents',
      newIncident('Wi-Fi drops in the pharmacy'),
    );
    expect(second.status).toBe(201);
    expect(second.json.sla.resolution.dueAt).toEqual(expect.any(String));

    const health = await fetch(`${base}/health`, { signal: AbortSignal.timeout(ANSWER_WITHIN_MS) });
    expect(health.status).toBe(200);
    expect((await api<IncidentJson>('GET', `/api/incidents/${second.json.reference}`)).json.summary).toBe(
      'Wi-Fi drops in the pharmacy',
    );
  });

  it('turns an email into an acknowledged incident', async () => {
    const client = await RawSmtpClient.connect(smtpPort);
    const messageId = `<embedded-${Date.now()}@lancashirecare.nhs.uk>`;
    const raw = [
      'From: Embedded Clinician <embedded.clinician@lancashirecare.nhs.uk>',
      'To: servicedesk@rosedesk.local',
      'Subject: Phones dead on ward 3',
      `Message-ID: ${messageId}`,
      `Date: ${new Date().toUTCString()}`,
      '',
      'None of the handsets on ward 3 have a dial tone since this morning.',
      '',
    ].join('\r\n');
    const delivery = await client.send(
      'embedded.clinician@lancashirecare.nhs.uk',
      ['servicedesk@rosedesk.local'],
      raw,
    );
    await client.quit();
    expect(delivery.final?.code).toBe(250);

    const found = await waitFor(
      async () =>
        (await api<{ items: IncidentJson[] }>('GET', '/api/incidents?channel=email')).json.items.find(
          (i) => i.summary === 'Phones dead on ward 3',
        ),
      'the email incident',
      ANSWER_WITHIN_MS,
    );
    expect(found).toMatchObject({ channel: 'email', reference: expect.stringMatching(/^INC-\d{6,}$/) });
    const log = await api<{ items: { messageId: string | null; status: string }[] }>(
      'GET',
      '/api/intake/messages?limit=5',
    );
    expect(
      log.json.items.find((m) => m.messageId === messageId.slice(1, -1) || m.messageId === messageId),
    ).toMatchObject({ status: 'processed' });

    // The acknowledgement lands in the outbox (no relay set) with the reference in its subject.
    const acknowledged = await waitFor(
      async () => {
        const files = (await readdir(join(dataDir, 'outbox')).catch(() => [] as string[])).filter((f) =>
          f.endsWith('.eml'),
        );
        const texts = await Promise.all(files.map((f) => readFile(join(dataDir, 'outbox', f), 'utf8')));
        return texts.some(
          (t) =>
            t.includes('To: embedded.clinician@lancashirecare.nhs.uk') && t.includes(`[${found.reference}]`),
        );
      },
      'the acknowledgement in the outbox',
      ANSWER_WITHIN_MS,
    );
    expect(acknowledged).toBe(true);
  });
});
