import nodemailer, { type Transporter } from 'nodemailer';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CORPUS_EXPECTATIONS,
  CORPUS_FOLDERS,
} from '../../src/modules/intake/email/domain/corpus-expectations';
import { corpusFiles, readCorpusFile } from '../../src/modules/intake/email/domain/mail-corpus.testing';
import { DESK, smtpPort, type InboundRow } from '../helpers/email-intake';
import { createTestApp, type TestApp } from '../helpers/test-app';
import { waitFor } from '../helpers/wait-for';

const DECISION: Record<string, string> = {
  human: 'created',
  machine: 'created',
  bounce: 'bounce_recorded',
  automated: 'automated_recorded',
  own_mail: 'dropped_own_mail',
};

/**
 * Every real-world message of test/data/mail (the .eml folders of CORPUS_FOLDERS) sent through the real SMTP listener
 * with nodemailer, with the outcome written down per file (CORPUS_EXPECTATIONS, shared with the unit tests).
 */
describe('the real-world mail corpus through the SMTP listener', () => {
  let t: TestApp;
  let outbox: string;
  let smtp: Transporter;
  const run = randomBytes(4).toString('hex');
  const rows = new Map<string, InboundRow & { envelope_from: string }>();

  beforeAll(async () => {
    outbox = mkdtempSync(join(tmpdir(), 'rosedesk-corpus-outbox-'));
    t = await createTestApp({ env: { OUTBOX_DIR: outbox, SMTP_URL: '' } });
    await t.db.query(
      "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '') ON CONFLICT (code) DO NOTHING",
    );
    smtp = nodemailer.createTransport({
      host: '127.0.0.1',
      port: smtpPort(t),
      secure: false,
      ignoreTLS: true,
    });
    // One after the other, in the table's order, so a file's duplicateOf is delivered before it.
    for (const [i, e] of CORPUS_EXPECTATIONS.entries()) {
      const info = await smtp.sendMail({
        envelope: { from: `corpus-${run}-${i}@test.example`, to: [DESK] },
        raw: readCorpusFile(e.folder, e.file),
      });
      expect(info.accepted).toEqual([DESK]);
    }
    await waitFor(
      async () => {
        const found: (InboundRow & { envelope_from: string })[] = await t.db.query(
          `SELECT m.*, CASE WHEN i.number IS NULL THEN NULL ELSE 'INC-' || lpad(i.number::text, 6, '0') END AS reference
           FROM inbound_message m LEFT JOIN incident i ON i.id = m.incident_id WHERE m.envelope_from LIKE $1`,
          [`corpus-${run}-%`],
        );
        const done = found.filter((r) => r.status !== 'received' && r.status !== 'processing');
        return done.length === CORPUS_EXPECTATIONS.length ? done : undefined;
      },
      'every corpus message to be processed',
      60_000,
    ).then((done) => done.forEach((r) => rows.set(r.envelope_from, r)));
  }, 90_000);
  afterAll(async () => {
    smtp.close();
    await t.close();
    rmSync(outbox, { recursive: true, force: true });
  });

  it('covers every .eml file of every folder', () => {
    const onDisk = CORPUS_FOLDERS.flatMap((folder) =>
      corpusFiles(folder, '.eml').map((f) => `${folder}/${f}`),
    );
    expect(CORPUS_EXPECTATIONS.map((e) => `${e.folder}/${e.file}`).sort()).toEqual(onDisk.sort());
  });

  it.each(CORPUS_EXPECTATIONS.map((e, i) => [`${e.folder}/${e.file}`, i] as const))(
    '%s',
    async (_name, i) => {
      const e = CORPUS_EXPECTATIONS[i];
      const row = rows.get(`corpus-${run}-${i}@test.example`);
      if (!row) throw new Error('no stored row');
      expect(row.status).toBe('processed');
      expect(row.decision).toBe(e.duplicateOf ? 'duplicate' : DECISION[e.kind]);
      if (e.duplicateOf) {
        const first = CORPUS_EXPECTATIONS.findIndex((x) => `${x.folder}/${x.file}` === e.duplicateOf);
        expect(first).toBeLessThan(i);
        expect(row.duplicate_of).toBe(rows.get(`corpus-${run}-${first}@test.example`)?.id);
        return;
      }
      expect(row.kind).toBe(e.kind);
      expect(row.log.some((l) => l.reason.includes(e.reason))).toBe(true);
      if (e.dedupe === 'message-id') expect(row.dedupe_key).toBe(row.message_id);
      else expect(row.dedupe_key).toMatch(/^[0-9a-f]{64}$/);

      const [{ n: automaticMail }] = await t.db.query(
        'SELECT count(*)::int AS n FROM outbound_message WHERE incident_id = $1',
        [row.incident_id],
      );
      if (e.kind === 'human') {
        expect(row.reference).toMatch(/^INC-\d{6,}$/);
        const ack = row.log.find((l) => l.step === 8);
        expect(automaticMail).toBe(ack?.decision === 'send' ? 1 : 0);
      } else if (e.kind === 'machine') {
        // An incident in triage, and nothing sent to a machine.
        expect(row.reference).toMatch(/^INC-\d{6,}$/);
        expect(row.log.find((l) => l.step === 6)?.decision).toBe('needs_triage');
        expect(row.log.find((l) => l.step === 8)).toMatchObject({ decision: 'not_sent' });
        expect(automaticMail).toBe(0);
      } else {
        expect(row.log.some((l) => l.step === 8)).toBe(false);
        expect(automaticMail).toBe(0);
      }
      if (e.kind === 'bounce') {
        const suppressed: { email: string }[] = await t.db.query(
          'SELECT email FROM mail_suppression WHERE email = ANY($1) AND until > now()',
          [e.failedRecipients],
        );
        expect(suppressed.map((s) => s.email).sort()).toEqual([...(e.failedRecipients ?? [])].sort());
      }
    },
  );

  it('marks no address as bouncing for the ARF report', async () => {
    const i = CORPUS_EXPECTATIONS.findIndex((e) => e.file === 'postal-mime-arf.eml');
    const row = rows.get(`corpus-${run}-${i}@test.example`);
    const [{ n }] = await t.db.query(
      'SELECT count(*)::int AS n FROM mail_suppression WHERE last_inbound_message_id = $1',
      [row?.id],
    );
    expect(n).toBe(0);
  });

  it('keeps attachments and inline images, and turns HTML-only mail into text', async () => {
    const row = rows.get(
      `corpus-${run}-${CORPUS_EXPECTATIONS.findIndex((e) => e.file === 'mailparser-nodemailer.eml')}@test.example`,
    );
    const files: { filename: string }[] = await t.db.query(
      'SELECT filename FROM attachment WHERE incident_id = $1 ORDER BY filename',
      [row?.incident_id],
    );
    expect(files.map((f) => f.filename)).toEqual(expect.arrayContaining(['notes.txt', 'nyan cat ✔.gif']));
    const spam = rows.get(
      `corpus-${run}-${CORPUS_EXPECTATIONS.findIndex((e) => e.file === 'mailparser-spam.eml')}@test.example`,
    );
    const [{ description }] = await t.db.query('SELECT description FROM incident WHERE id = $1', [
      spam?.incident_id,
    ]);
    expect(description).not.toMatch(/<[a-z][^>]*>/i);
    expect(description.length).toBeGreaterThan(20);
  });
});
