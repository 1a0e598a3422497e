import {
  bareAddress,
  fitHeader,
  isPlainAddress,
  LIMITS,
  mailJobId,
  messageIdFor,
  oneLine,
  outboxFileName,
  referenceHeader,
  retryDelayMs,
} from './outbound-mail';

describe('outbound mail rules', () => {
  it('makes our Message-ID and job id from the row id', () => {
    expect(messageIdFor('0b6c7e3e-1d2a-4c55-9f00-3e9b1a2c4d5e', 'RoseDesk.Local')).toBe(
      '<0b6c7e3e-1d2a-4c55-9f00-3e9b1a2c4d5e@rosedesk.local>',
    );
    expect(mailJobId('abc')).toBe('mail-abc');
  });

  it.each([
    ['2026-11-25T10:15:02.123Z', '20261125T101502Z-id1.eml'],
    ['2010-03-28T00:59:59.999Z', '20100328T005959Z-id1.eml'],
  ])('names the outbox file of a row created at %s', (iso, expected) => {
    expect(outboxFileName(new Date(iso), 'id1')).toBe(expected);
  });

  it('waits as BullMQ exponential backoff with a 2 s base does: 2, 4, 8, 16, 32 s', () => {
    expect([1, 2, 3, 4, 5].map(retryDelayMs)).toEqual([2_000, 4_000, 8_000, 16_000, 32_000]);
    expect(retryDelayMs(0)).toBe(2_000);
  });

  it.each([
    ['RoseDesk Service Desk <ServiceDesk@rosedesk.local>', 'servicedesk@rosedesk.local'],
    ['"Desk, The" <desk@example.test>', 'desk@example.test'],
    ['desk@example.test', 'desk@example.test'],
  ])('takes the bare address of %s', (from, expected) => {
    expect(bareAddress(from)).toBe(expected);
  });

  it('keeps header values to one line and to the column width', () => {
    expect(oneLine('Printer\r\nBcc: victim@example.test\t down')).toBe(
      'Printer Bcc: victim@example.test down',
    );
    const long = fitHeader('x'.repeat(500), LIMITS.subject);
    expect(long).toHaveLength(LIMITS.subject);
    expect(long.endsWith('…')).toBe(true);
    expect(fitHeader('short', LIMITS.subject)).toBe('short');
  });

  it.each([
    ['nurse@example.test', true],
    ['a.b+tag@nhs.example', true],
    ['two@example.test, three@example.test', false],
    ['Name <n@example.test>', false],
    ['line\r\nbreak@example.test', false],
    ['no-at-sign', false],
  ])('accepts only a single plain mailbox: %s', (value, ok) => {
    expect(isPlainAddress(value)).toBe(ok);
  });

  it('puts only reference-shaped values in X-RoseDesk-Reference', () => {
    expect(referenceHeader('INC-000123')).toBe('INC-000123');
    expect(referenceHeader('INC-1\r\nBcc: x@y')).toBeNull();
    expect(referenceHeader(123)).toBeNull();
  });
});
