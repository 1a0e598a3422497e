import { cleanSmsBody, decideSmsTarget, parseSms, type SmsCandidate } from './sms-command';

const NOW = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (h: number): Date => new Date(NOW.getTime() - h * 3_600_000);

describe('parseSms', () => {
  it.each([
    ['STOP', 'stop'],
    [' stop ', 'stop'],
    ['Unsubscribe', 'stop'],
    ['STOPALL', 'stop'],
    ['start', 'start'],
    ['UNSTOP', 'start'],
    ['Help', 'help'],
    ['INFO.', 'help'],
  ])('reads %p as the keyword %s', (body, keyword) => {
    expect(parseSms(body)).toEqual({ kind: 'keyword', keyword });
  });

  it('reads a keyword only as the whole message', () => {
    expect(parseSms('please stop the alarm on ward 2')).toMatchObject({ kind: 'text' });
  });

  it.each([
    ['SITE 1234 wifi down on ward 3', '1234', 'wifi down on ward 3'],
    ['site code: 01234 - phones dead', '01234', 'phones dead'],
    ['Site #12345678 printer', '12345678', 'printer'],
    ['wifi down at site 2001 since 8', '2001', 'wifi down at site 2001 since 8'],
    ['website 1234 is down', null, 'website 1234 is down'],
  ])('reads %p: site %p, text %p', (body, siteCode, text) => {
    expect(parseSms(body)).toEqual({ kind: 'text', siteCode, reference: null, text });
  });

  it('finds a reference, and drops control characters (NUL among them)', () => {
    expect(parseSms('inc-000123 still down\u0000\u0007')).toEqual({
      kind: 'text',
      siteCode: null,
      reference: 'INC-000123',
      text: 'inc-000123 still down',
    });
    expect(parseSms(' \n\t ')).toEqual({ kind: 'empty' });
    expect(cleanSmsBody('a\u0000b\nc')).toBe('ab\nc');
  });
});

describe('decideSmsTarget', () => {
  const open = (
    reference: string,
    hours: number,
    status: SmsCandidate['status'] = 'in_progress',
  ): SmsCandidate => ({
    incidentId: reference.toLowerCase(),
    reference,
    status,
    reportedAt: hoursAgo(hours),
  });
  const text = (body: string) => {
    const c = parseSms(body);
    if (c.kind !== 'text') throw new Error('not a text');
    return c;
  };

  it('makes a new incident for SITE, even with one open', () => {
    expect(decideSmsTarget(text('SITE 1234 lan'), [open('INC-000001', 1)], NOW)).toEqual({
      kind: 'create',
      why: 'site_command',
    });
  });

  it('replies on the only open incident from the last seven days', () => {
    expect(decideSmsTarget(text('still down'), [open('INC-000001', 1)], NOW)).toMatchObject({
      kind: 'reply',
      reference: 'INC-000001',
      why: 'only_open',
    });
  });

  it('leaves out closed, resolved and older incidents', () => {
    const candidates = [
      open('INC-000001', 2, 'resolved'),
      open('INC-000002', 3, 'closed'),
      open('INC-000003', 7 * 24 + 1),
    ];
    expect(decideSmsTarget(text('hello'), candidates, NOW)).toEqual({
      kind: 'create',
      why: 'no_open_incident',
    });
  });

  it('picks the named one of several, else the latest', () => {
    const candidates = [open('INC-000001', 5), open('INC-000002', 1)];
    expect(decideSmsTarget(text('INC-000001 fixed'), candidates, NOW)).toMatchObject({
      reference: 'INC-000001',
      why: 'named',
    });
    expect(decideSmsTarget(text('any news'), candidates, NOW)).toMatchObject({
      reference: 'INC-000002',
      why: 'latest_open',
    });
  });
});
