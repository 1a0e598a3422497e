import { Clock } from '../../src/common/time/clock';

/** Real time plus an offset the test moves forward: the app keeps running, but "later" comes at once. */
export class ShiftedClock extends Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}
