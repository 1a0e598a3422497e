import type { CallState } from './call-menu';

/** What a call that ended without an incident leaves behind. */
export type CallEnding =
  /** Site and service were chosen and the call ended before a message: an incident marked abandoned. */
  | { kind: 'abandoned' }
  /** It ended while recording (a caller may hang up instead of pressing #): the report, its recording to follow. */
  | { kind: 'report' }
  /** Only the call log: ended too early for an incident, or abandoned calls make none. */
  | { kind: 'log-only'; reason: string };

export function decideCallEnding(state: CallState, abandonedCallIncidents: boolean): CallEnding {
  if (state.stage === 'recording') return { kind: 'report' };
  if (state.stage === 'finished') return { kind: 'log-only', reason: 'finished' };
  const chosen = state.site !== null && state.service !== null;
  if (!chosen) return { kind: 'log-only', reason: `hung_up_at_${state.stage}` };
  if (!abandonedCallIncidents) return { kind: 'log-only', reason: `abandoned_at_${state.stage}_not_logged` };
  return { kind: 'abandoned' };
}
