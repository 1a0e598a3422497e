import { concatBytes, listenChangeOf, takeNotifications } from './pg-notifications';

const encoder = new TextEncoder();

/** A protocol message: type byte, int32 length (itself included), body. */
function message(type: string, ...fields: (Uint8Array | string | number)[]): Uint8Array {
  const parts = fields.map((f) => {
    if (typeof f === 'string') return concatBytes([encoder.encode(f), new Uint8Array([0])]);
    if (typeof f === 'number') {
      const int32 = new Uint8Array(4);
      new DataView(int32.buffer).setInt32(0, f);
      return int32;
    }
    return f;
  });
  const body = concatBytes(parts);
  const head = new Uint8Array(5);
  head[0] = type.charCodeAt(0);
  new DataView(head.buffer).setInt32(1, body.length + 4);
  return concatBytes([head, body]);
}

const query = (sql: string) => message('Q', sql);
const parse = (sql: string) => message('P', '', sql, new Uint8Array([0, 0]));
const notification = (channel: string, payload: string) => message('A', 4242, channel, payload);
const commandComplete = (tag: string) => message('C', tag);
const readyForQuery = () => message('Z', new Uint8Array([0x49]));

describe('listenChangeOf', () => {
  it.each([
    ['LISTEN bullmq_jobs', { listen: 'bullmq_jobs' }],
    ['listen Bullmq_Jobs;', { listen: 'bullmq_jobs' }],
    ['LISTEN "Mixed Case"', { listen: 'Mixed Case' }],
    [
      '-- Subscribe to the shared job channel.\n-- A worker filters for its queue.\nLISTEN bullmq_jobs;\n',
      { listen: 'bullmq_jobs' },
    ],
    ['/* events */ LISTEN bullmq_events', { listen: 'bullmq_events' }],
    ['UNLISTEN bullmq_jobs', { unlisten: 'bullmq_jobs' }],
    ['UNLISTEN *', { unlistenAll: true }],
  ])('reads %j from a simple Query', (sql, change) => {
    expect(listenChangeOf(query(sql))).toEqual(change);
  });

  it('reads a LISTEN sent through the extended protocol (Parse)', () => {
    expect(listenChangeOf(parse('LISTEN bullmq_jobs'))).toEqual({ listen: 'bullmq_jobs' });
  });

  it.each(['SELECT 1', "SELECT 'LISTEN x'", 'LISTEN a; SELECT 1', 'NOTIFY bullmq_jobs'])(
    'ignores %j',
    (sql) => {
      expect(listenChangeOf(query(sql))).toBeNull();
    },
  );

  it('ignores every other message type', () => {
    expect(listenChangeOf(message('S'))).toBeNull();
    expect(listenChangeOf(message('B', '', '', new Uint8Array([0, 0, 0, 0, 0, 0])))).toBeNull();
  });
});

describe('takeNotifications', () => {
  it('returns output without notifications untouched (the same array)', () => {
    const output = concatBytes([commandComplete('INSERT 0 1'), readyForQuery()]);
    const { rest, notifications } = takeNotifications(output);
    expect(rest).toBe(output);
    expect(notifications).toEqual([]);
  });

  it('takes every NotificationResponse out and keeps the rest in order', () => {
    const a = notification('bullmq_jobs', 'mail');
    const b = notification('bullmq_events', 'sla');
    const output = concatBytes([commandComplete('COMMIT'), a, b, readyForQuery()]);
    const { rest, notifications } = takeNotifications(output);
    expect(Array.from(rest)).toEqual(Array.from(concatBytes([commandComplete('COMMIT'), readyForQuery()])));
    expect(notifications.map((n) => n.channel)).toEqual(['bullmq_jobs', 'bullmq_events']);
    expect(Array.from(notifications[0].message)).toEqual(Array.from(a));
  });

  it('leaves a trailing partial message in the output as it is', () => {
    const whole = notification('bullmq_jobs', 'mail');
    const output = concatBytes([whole, readyForQuery().subarray(0, 3)]);
    const { rest, notifications } = takeNotifications(output);
    expect(notifications).toHaveLength(1);
    expect(Array.from(rest)).toEqual(Array.from(readyForQuery().subarray(0, 3)));
  });
});
