import { formatDateTime } from '../domain/london-time';
import { COUNTED_STATES, FAILED_SHOWN, type CountedState, type QueueState } from './queue-health.service';

const STATE_LABELS: Record<CountedState, string> = {
  waiting: 'Waiting',
  active: 'Running',
  delayed: 'Delayed',
  prioritized: 'Prioritised',
  failed: 'Failed',
  completed: 'Completed (kept)',
};

const ABOUT: Record<string, string> = {
  mail: 'Outbound email, one job per message.',
  'incident-lifecycle': 'Closing resolved incidents after their time.',
  sla: 'SLA checks per incident and target, and the minute sweep.',
  'email-intake': 'The pipeline run on each received message.',
  sms: 'Outbound texts, and their sweep.',
};

export function queueHealthView(queues: QueueState[]): object {
  return {
    states: COUNTED_STATES.map((s) => STATE_LABELS[s]),
    failedShown: FAILED_SHOWN,
    queues: queues.map((q) => ({
      name: q.name,
      about: ABOUT[q.name] ?? '',
      problem: q.problem,
      paused: q.paused,
      counts: q.counts
        ? COUNTED_STATES.map((s) => ({
            value: q.counts?.[s] ?? 0,
            alert: s === 'failed' && (q.counts?.[s] ?? 0) > 0,
          }))
        : null,
      failedCount: q.counts?.failed ?? 0,
      failed: q.failed.map((j) => ({
        id: j.id,
        name: j.name,
        reason: j.reason || '(no reason recorded)',
        attempts: j.attempts,
        failedAt: j.failedAt ? formatDateTime(j.failedAt) : 'unknown',
        failedIso: j.failedAt?.toISOString() ?? '',
        queuedAt: formatDateTime(j.queuedAt),
        retryAction: `/console/admin/queues/${encodeURIComponent(q.name)}/jobs/${encodeURIComponent(j.id)}/retry`,
      })),
    })),
  };
}
