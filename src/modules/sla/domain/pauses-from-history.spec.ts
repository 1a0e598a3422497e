import { type StatusChange, pausesFromHistory } from './pauses-from-history';

const at = (hhmm: string): Date => new Date(`2010-11-01T${hhmm}:00Z`);
const h = (...entries: [string, string][]): StatusChange[] =>
  entries.map(([status, time]) => ({ status, at: at(time) }));
const show = (pauses: ReturnType<typeof pausesFromHistory>): [string, string | null][] =>
  pauses.map((p) => [
    p.from.toISOString().slice(11, 16),
    p.to === null ? null : p.to.toISOString().slice(11, 16),
  ]);

describe('pausesFromHistory', () => {
  it.each<[string, StatusChange[], [string, string | null][]]>([
    ['empty history', [], []],
    ['never paused', h(['new', '09:00'], ['assigned', '09:10'], ['resolved', '10:00']), []],
    [
      'awaiting_supplier does not pause',
      h(['new', '09:00'], ['awaiting_supplier', '09:10'], ['in_progress', '11:00']),
      [],
    ],
    [
      'one closed pause',
      h(['new', '09:00'], ['awaiting_caller', '09:10'], ['in_progress', '11:00']),
      [['09:10', '11:00']],
    ],
    [
      'two pauses',
      h(
        ['new', '09:00'],
        ['awaiting_caller', '09:10'],
        ['in_progress', '10:00'],
        ['awaiting_caller', '12:00'],
        ['resolved', '13:00'],
      ),
      [
        ['09:10', '10:00'],
        ['12:00', '13:00'],
      ],
    ],
    ['still paused: open-ended', h(['new', '09:00'], ['awaiting_caller', '09:10']), [['09:10', null]]],
    [
      'repeated awaiting_caller keeps one pause',
      h(['awaiting_caller', '09:10'], ['awaiting_caller', '09:30'], ['in_progress', '10:00']),
      [['09:10', '10:00']],
    ],
    [
      'awaiting_caller → awaiting_supplier ends the pause',
      h(['awaiting_caller', '09:10'], ['awaiting_supplier', '09:40'], ['in_progress', '10:00']),
      [['09:10', '09:40']],
    ],
    ['zero-length pause dropped', h(['awaiting_caller', '09:10'], ['in_progress', '09:10']), []],
    [
      'unordered input is ordered by time',
      h(['in_progress', '11:00'], ['new', '09:00'], ['awaiting_caller', '09:10']),
      [['09:10', '11:00']],
    ],
  ])('%s', (_name, history, expected) => {
    expect(show(pausesFromHistory(history))).toEqual(expected);
  });

  it('accepts other pausing statuses (e.g. for a supplier contract clock)', () => {
    const history = h(['awaiting_caller', '09:00'], ['awaiting_supplier', '10:00'], ['in_progress', '11:00']);
    expect(show(pausesFromHistory(history, ['awaiting_supplier']))).toEqual([['10:00', '11:00']]);
    expect(show(pausesFromHistory(history, ['awaiting_caller', 'awaiting_supplier']))).toEqual([
      ['09:00', '11:00'],
    ]);
  });

  it('does not modify its input', () => {
    const history = h(['in_progress', '11:00'], ['awaiting_caller', '09:10']);
    const copy = [...history];
    pausesFromHistory(history);
    expect(history).toEqual(copy);
  });
});
