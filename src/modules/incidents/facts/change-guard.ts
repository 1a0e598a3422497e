import { AsyncLocalStorage } from 'node:async_hooks';
import type { EntityManager } from 'typeorm';
import type { Incident } from '../incident.entity';

/** A check on an incident's locked row, in the transaction about to change it: it throws to refuse the change. */
export type ChangeGuard = (em: EntityManager, incident: Incident) => Promise<void>;

interface ActiveGuard {
  number: string;
  check: ChangeGuard;
  done: boolean;
}

const active = new AsyncLocalStorage<ActiveGuard>();

/**
 * Runs `work` (a call into the incidents module's services) so that the first change transaction it opens on the
 * incident numbered `number` runs `check` right after locking the row, in that transaction: a comparison there (the
 * version a form was read at) cannot be overtaken by another writer between the check and the write, as a read
 * before the transaction could be. Once, for the first lock only: later transactions (after-commit work) are the
 * change's own.
 */
export function withChangeGuard<T>(number: string, check: ChangeGuard, work: () => Promise<T>): Promise<T> {
  return active.run({ number: String(number), check, done: false }, work);
}

/** Called by lockIncident once it holds the row. */
export async function runChangeGuard(em: EntityManager, incident: Incident): Promise<void> {
  const guard = active.getStore();
  if (!guard || guard.done || guard.number !== String(incident.number)) return;
  guard.done = true;
  await guard.check(em, incident);
}
