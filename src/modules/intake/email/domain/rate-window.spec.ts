import { RateWindow } from './rate-window';

const t0 = new Date('2026-03-01T09:00:00Z');
const at = (ms: number): Date => new Date(t0.getTime() + ms);

describe('RateWindow', () => {
  it('allows `limit` events per key per window, refuses the next with the seconds left, and does not count refusals', () => {
    const w = new RateWindow(3, 60_000);
    expect([0, 1, 2].map((i) => w.hit('a', at(i * 1000)).allowed)).toEqual([true, true, true]);
    expect(w.hit('a', at(10_000))).toEqual({ allowed: false, retryAfterSeconds: 50 });
    expect(w.hit('a', at(59_999))).toEqual({ allowed: false, retryAfterSeconds: 1 });
    expect(w.hit('b', at(10_000))).toEqual({ allowed: true });
    expect(w.hit('a', at(60_000))).toEqual({ allowed: true });
    expect(w.hit('a', at(61_000))).toEqual({ allowed: true });
  });

  it('never refuses with a limit of 0', () => {
    const w = new RateWindow(0, 60_000);
    for (let i = 0; i < 1000; i++) expect(w.hit('a', t0).allowed).toBe(true);
    expect(w.size).toBe(0);
  });

  it('starts a new window when the clock goes backwards', () => {
    const w = new RateWindow(1, 60_000);
    expect(w.hit('a', at(5_000)).allowed).toBe(true);
    expect(w.hit('a', at(6_000)).allowed).toBe(false);
    expect(w.hit('a', at(1_000)).allowed).toBe(true);
  });

  it('drops ended windows once many keys are held', () => {
    const w = new RateWindow(1, 60_000);
    for (let i = 0; i < 10_000; i++) w.hit(`k${i}`, t0);
    expect(w.size).toBe(10_000);
    w.hit('late', at(60_000));
    expect(w.size).toBe(1);
  });
});
