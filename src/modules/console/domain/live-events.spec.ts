import {
  parseSignal,
  PresenceBook,
  PRESENCE_TTL_MS,
  TYPING_TTL_MS,
  type PresenceSignal,
} from './live-events';

const CONN_A = '11111111-1111-4111-8111-111111111111';
const CONN_B = '22222222-2222-4222-8222-222222222222';
const CONN_C = '33333333-3333-4333-8333-333333333333';
const sig = (
  conn: string,
  user: string,
  name: string,
  state: PresenceSignal['state'],
  n = 7,
): PresenceSignal => ({
  type: 'presence',
  n,
  conn,
  user,
  name,
  state,
});

describe('live signals', () => {
  it('reads back what was sent and refuses anything else', () => {
    const incident = { type: 'incident', n: 12, trust: 't1', deskOnly: false };
    expect(parseSignal(JSON.stringify(incident))).toEqual(incident);
    expect(parseSignal(JSON.stringify(sig(CONN_A, 'u1', 'Ann', 'typing_note')))).toMatchObject({
      state: 'typing_note',
    });
    for (const bad of [
      '',
      'nope',
      '[]',
      '{"type":"incident","n":-1,"trust":"t","deskOnly":false}',
      '{"type":"presence","n":1,"conn":"x","user":"u","name":"n","state":"here"}',
      '{"type":"presence","n":1,"conn":"11111111-1111-4111-8111-111111111111","user":"u","name":"n","state":"dance"}',
    ])
      expect(parseSignal(bad)).toBeNull();
  });
});

describe('presence book', () => {
  it('shows the others on an incident, each once, without the viewer', () => {
    const book = new PresenceBook();
    expect(book.apply(sig(CONN_A, 'u1', 'Ann', 'here'), 0)).toBe(true);
    expect(book.apply(sig(CONN_B, 'u2', 'Bob', 'here'), 0)).toBe(true);
    expect(book.apply(sig(CONN_C, 'u2', 'Bob', 'here'), 0)).toBe(true);
    expect(book.apply(sig(CONN_A, 'u1', 'Ann', 'here'), 1000)).toBe(false);
    expect(book.view(7, 'u1')).toEqual({ others: ['Bob'], typing: [] });
    expect(book.view(7, 'u3')).toEqual({ others: ['Ann', 'Bob'], typing: [] });
    expect(book.view(8, 'u3')).toEqual({ others: [], typing: [] });
  });

  it('says who is typing what until it stops', () => {
    const book = new PresenceBook();
    book.apply(sig(CONN_A, 'u1', 'Ann', 'here'), 0);
    expect(book.apply(sig(CONN_A, 'u1', 'Ann', 'typing_note'), 100)).toBe(true);
    // A heartbeat while typing keeps the typing.
    book.apply(sig(CONN_A, 'u1', 'Ann', 'here'), 200);
    expect(book.view(7, 'u2').typing).toEqual([{ name: 'Ann', what: 'note' }]);
    expect(book.expire(100 + TYPING_TTL_MS)).toEqual([7]);
    expect(book.view(7, 'u2')).toEqual({ others: ['Ann'], typing: [] });
  });

  it('forgets a connection that left or went quiet', () => {
    const book = new PresenceBook();
    book.apply(sig(CONN_A, 'u1', 'Ann', 'here'), 0);
    book.apply(sig(CONN_B, 'u2', 'Bob', 'here'), 0);
    expect(book.apply(sig(CONN_A, 'u1', 'Ann', 'left'), 10)).toBe(true);
    expect(book.apply(sig(CONN_A, 'u1', 'Ann', 'left'), 11)).toBe(false);
    expect(book.expire(PRESENCE_TTL_MS - 1)).toEqual([]);
    expect(book.expire(PRESENCE_TTL_MS)).toEqual([7]);
    expect(book.view(7, 'u9').others).toEqual([]);
  });
});
