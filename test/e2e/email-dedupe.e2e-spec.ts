import { randomUUID } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { legacyContentHash } from '../../src/modules/intake/email/domain/normalise-message-id';
import { INTAKE_PARSER_OPTIONS, toInboundMail } from '../../src/modules/intake/email/domain/to-inbound-mail';
import {
  buildMail,
  processed,
  processedByMarker,
  send,
  smtpPort,
  uniqueMessageId,
} from '../helpers/email-intake';
import { createTestApp, type TestApp } from '../helpers/test-app';

/**
 * Deduplication keys on the Message-ID and a fingerprint of what does not change in transit (sender, date,
 * subject, body), so a broken mailer's reused Message-ID does not swallow a second, different message.
 */
describe('email intake dedupe: Message-ID and content fingerprint', () => {
  let t: TestApp;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    port = smtpPort(t);
    await t.db.query(
      "INSERT INTO service (code, name, description) VALUES ('lan', 'LAN', '') ON CONFLICT (code) DO NOTHING",
    );
  });
  afterAll(async () => {
    await t.close();
  });

  const date = 'Tue, 03 Mar 2026 09:15:00 +0000';

  it('makes two incidents of two different messages that share one Message-ID', async () => {
    const messageId = uniqueMessageId('broken-mailer.example');
    const from = `ward3.${randomUUID().slice(0, 8)}@nhs.example`;
    await send(
      port,
      buildMail({ messageId, from, date, subject: 'Printer jammed', body: 'Ward 3 printer.' }).raw,
    );
    await processed(t.db, messageId);
    await send(
      port,
      buildMail({ messageId, from, date, subject: 'Wi-Fi down', body: 'Clinic 2 Wi-Fi.' }).raw,
    );
    const rows = await processed(t.db, messageId, 2);
    expect(rows.map((r) => r.decision)).toEqual(['created', 'created']);
    expect(new Set(rows.map((r) => r.incident_id)).size).toBe(2);
  });

  it('keeps one incident when the same message arrives again with other trace headers (another route)', async () => {
    const messageId = uniqueMessageId();
    const { raw } = buildMail({ messageId, date, subject: 'Phones dead', body: 'No dial tone.' });
    await send(
      port,
      `Received: from relay1.example by mx.example; ${date}\r\nDelivered-To: desk@example\r\n${raw}`,
    );
    await processed(t.db, messageId);
    await send(
      port,
      `Return-Path: <x@nhs.example>\r\nReceived: from imap.example by store.example; ${date}\r\nX-Original-To: desk@example\r\n${raw}`,
    );
    const rows = await processed(t.db, messageId, 2);
    expect(rows.map((r) => r.decision)).toEqual(['created', 'duplicate']);
    expect(rows[1].duplicate_of).toBe(rows[0].id);
  });

  it('still takes a row stored before fingerprints existed (key without a fingerprint) as the holder of its Message-ID', async () => {
    const messageId = uniqueMessageId();
    const [{ id: legacy }] = await t.db.query(
      `INSERT INTO inbound_message (mailbox, source, raw, size, status, decision, dedupe_key, message_id)
       VALUES ('servicedesk@rosedesk.local', 'smtp', '\\x00', 1, 'processed', 'created', $1, $1) RETURNING id`,
      [messageId],
    );
    await send(port, buildMail({ messageId, date, subject: 'Copy of an old message' }).raw);
    const rows = await processed(t.db, messageId, 2);
    const copy = rows.find((r) => r.id !== legacy);
    expect(copy).toMatchObject({ decision: 'duplicate', duplicate_of: legacy });
  });

  it('still takes a row keyed by the old content hash (mail without a Message-ID) as the holder', async () => {
    const marker = `no-id-${randomUUID()}`;
    const { raw } = buildMail({ messageId: null, date, subject: marker, body: 'No Message-ID here.' });
    // As stored by the listener (the data ends with a line break), parsed as the pipeline parses it.
    const parsed = toInboundMail(await simpleParser(Buffer.from(`${raw}\r\n`), INTAKE_PARSER_OPTIONS));
    const [{ id: legacy }] = await t.db.query(
      `INSERT INTO inbound_message (mailbox, source, raw, size, status, decision, dedupe_key)
       VALUES ('servicedesk@rosedesk.local', 'smtp', '\\x00', 1, 'processed', 'created', $1) RETURNING id`,
      [legacyContentHash(parsed)],
    );
    await send(port, raw);
    const copy = await processedByMarker(t.db, marker);
    expect(copy).toMatchObject({ decision: 'duplicate', duplicate_of: legacy });
  });
});
