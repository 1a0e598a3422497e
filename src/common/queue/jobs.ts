import type { JobsOptions, Queue } from 'bullmq';
import { withTimeout } from '../time/with-timeout';

/** One job to add: BullMQ's add() arguments as one value. */
export interface QueuedJob<D = unknown> {
  name: string;
  data: D;
  opts: JobsOptions;
}

/** How long an after-commit add may take before the caller gives up on it (a sweeper re-queues from the database). */
export const ENQUEUE_TIMEOUT_MS = 5_000;
/** BullMQ's addBulk is one round trip; keep each under this many jobs. */
const BULK_CHUNK = 500;

/**
 * Adds jobs after the commit that made them due: one add for one job, addBulk in chunks for many, each bounded by
 * `timeoutMs`. Throws when the queue fails or does not answer in time; the caller logs it and leaves the work to its
 * sweeper, which finds it in the database. With deterministic job ids, adding a job twice adds it once.
 */
export async function enqueue(
  queue: Queue,
  jobs: readonly QueuedJob[],
  timeoutMs: number = ENQUEUE_TIMEOUT_MS,
): Promise<void> {
  const what = `The ${queue.name} queue`;
  if (jobs.length === 1) {
    await withTimeout(queue.add(jobs[0].name, jobs[0].data, jobs[0].opts), timeoutMs, what);
    return;
  }
  for (let i = 0; i < jobs.length; i += BULK_CHUNK) {
    await withTimeout(queue.addBulk(jobs.slice(i, i + BULK_CHUNK)), timeoutMs, what);
  }
}

/**
 * Whether a database row's job is still alive, for a sweeper deciding to re-queue the row:
 * - `none`: no job, or a finished one (completed or failed, kept by the queue's retention, which would make a new
 *   add with the same id a no-op), now removed: add one;
 * - `active`: a worker holds it right now (or a finished job is still locked);
 * - `queued`: waiting, delayed or prioritized: it will run.
 */
export async function jobLiveness(queue: Queue, jobId: string): Promise<'none' | 'active' | 'queued'> {
  const state = await queue.getJobState(jobId);
  switch (state) {
    case 'unknown':
      return 'none';
    case 'completed':
    case 'failed':
      // remove() answers 0 when the job is locked: something is working on it right now.
      return (await queue.remove(jobId)) === 1 ? 'none' : 'active';
    case 'active':
      return 'active';
    case 'waiting':
    case 'delayed':
    case 'prioritized':
    case 'waiting-children':
      return 'queued';
  }
}
