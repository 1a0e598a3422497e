import { AckRequest, DEFAULT_ACK_LIMITS, isNoReplyAddress, mayAcknowledge } from './ack-policy';

const now = new Date('2011-06-01T10:00:00Z');
const request = (overrides: Partial<AckRequest> = {}): AckRequest => ({
  recipient: 'jane.smith@example.nhs.uk',
  kind: 'human',
  bouncingUntil: null,
  sentInLastHour: 0,
  sentForIncident: 0,
  now,
  ...overrides,
});

describe('mayAcknowledge', () => {
  it('acknowledges an ordinary human mail', () => {
    expect(mayAcknowledge(request())).toEqual({ ok: true });
  });

  it.each(['automated', 'bounce', 'own_mail'] as const)('never acknowledges %s mail', (kind) => {
    expect(mayAcknowledge(request({ kind }))).toMatchObject({ ok: false, reason: 'not_human' });
  });

  it.each([
    'noreply@example.com',
    'No-Reply@example.com',
    'no_reply@example.com',
    'donotreply@example.com',
    'Do-Not-Reply@example.com',
    'do_not_reply@example.com',
    'MAILER-DAEMON@example.com',
    'postmaster@example.com',
    'noreply+abc@example.com',
    'no-reply-notifications@example.com',
  ])('never to %s', (recipient) => {
    expect(mayAcknowledge(request({ recipient }))).toMatchObject({ ok: false, reason: 'no_reply_address' });
  });

  it.each(['', 'not-an-address', 'a@b', 'two words@example.com'])(
    'never to an invalid address %j',
    (recipient) => {
      expect(mayAcknowledge(request({ recipient }))).toMatchObject({ ok: false, reason: 'invalid_address' });
    },
  );

  it('never while the address bounces, again once the bounce period is over', () => {
    const until = new Date(now.getTime() + 1);
    expect(mayAcknowledge(request({ bouncingUntil: until }))).toMatchObject({
      ok: false,
      reason: 'recipient_bouncing',
    });
    expect(mayAcknowledge(request({ bouncingUntil: now }))).toEqual({ ok: true });
  });

  it('caps sends per recipient per hour and per incident', () => {
    expect(mayAcknowledge(request({ sentInLastHour: 9 }))).toEqual({ ok: true });
    expect(mayAcknowledge(request({ sentInLastHour: 10 }))).toMatchObject({
      ok: false,
      reason: 'recipient_rate_limited',
    });
    expect(mayAcknowledge(request({ sentForIncident: 4 }))).toEqual({ ok: true });
    expect(mayAcknowledge(request({ sentForIncident: 5 }))).toMatchObject({
      ok: false,
      reason: 'incident_limit_reached',
    });
    expect(
      mayAcknowledge(request({ sentForIncident: 1 }), { ...DEFAULT_ACK_LIMITS, perIncident: 1 }),
    ).toMatchObject({
      ok: false,
    });
  });

  it('reports the first reason in a fixed order', () => {
    expect(
      mayAcknowledge(request({ kind: 'bounce', recipient: 'noreply@x.com', sentInLastHour: 99 })),
    ).toMatchObject({ reason: 'not_human' });
  });
});

describe('isNoReplyAddress', () => {
  it.each<[string, boolean]>([
    ['noreply@x.com', true],
    ['reply@x.com', false],
    ['norman.reply@x.com', false],
    ['postmaster.general@x.com', true],
    ['jane.postmaster@x.com', false],
  ])('%s → %s', (address, expected) => {
    expect(isNoReplyAddress(address)).toBe(expected);
  });
});
