import type { FixedClock } from '../../src/common/time/clock';
import type { TestApp } from './test-app';

/**
 * An agent working incidents at set moments of a frozen clock, for hand-worked report fixtures: `at(iso, action)`
 * moves the clock and acts; `reply` answers the reporter; `move` changes the status (a resolve carries its code).
 */
export function clockedSteps(t: () => TestApp, clock: FixedClock, auth: () => Record<string, string>) {
  const at = async (iso: string, action: () => Promise<unknown>): Promise<void> => {
    clock.set(new Date(iso));
    await action();
  };
  const reply = (reference: string) =>
    t().http().post(`/api/incidents/${reference}/replies`).set(auth()).send({ body: 'On it.' }).expect(201);
  const move = (reference: string, to: string) =>
    t()
      .http()
      .post(`/api/incidents/${reference}/transitions`)
      .set(auth())
      .send(to === 'resolved' ? { to, resolution: { code: 'fixed', notes: 'Fixed.' } } : { to })
      .expect(200);
  return { at, reply, move };
}
