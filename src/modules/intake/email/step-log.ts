import type { IntakeLogEntry } from './inbound-message.entity';

/** The pipeline steps, numbered as in the README (0 is parsing, before the numbered steps). */
export const STEP = {
  parse: 0,
  dedupe: 1,
  automated: 2,
  bounce: 3,
  ownMail: 4,
  /** An empty message is decided where threading would start. */
  empty: 5,
  thread: 5,
  senderAndSite: 6,
  createOrAppend: 7,
  acknowledge: 8,
} as const;

export type StepName = keyof typeof STEP;

/** One message's intake log, built up during a pipeline run and written with its outcome. */
export class StepLog {
  readonly entries: IntakeLogEntry[] = [];

  constructor(private readonly now: () => Date) {}

  add(name: StepName, decision: string, reason: string): this {
    this.entries.push({
      step: STEP[name],
      name,
      decision,
      reason: reason.slice(0, 1000),
      at: this.now().toISOString(),
    });
    return this;
  }
}
