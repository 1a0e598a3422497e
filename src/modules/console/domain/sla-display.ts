import { formatDateTime, formatDuration } from './london-time';

/** What the console needs of one SLA clock (the API's SlaClockDto has these fields). */
export interface SlaClockFacts {
  dueAt: string;
  metAt: string | null;
  breached: boolean;
  percentElapsed: number;
  paused: boolean;
  stopped: boolean;
  remainingMinutes: number;
  targetMinutes: number;
}

/**
 * running: ticking towards its due time; breached: past it and still running (ticks up); paused: waiting for
 * the caller; met: the target was met; stopped: ended unmet (cancelled, or resolved after a breach).
 */
export type ClockState = 'running' | 'breached' | 'paused' | 'met' | 'stopped';
/** The colour band: under 75 %, from 75 %, from 90 %, breached; `neutral` for a clock that no longer runs. */
export type ClockTone = 'ok' | 'warn75' | 'warn90' | 'breached' | 'paused' | 'neutral';

export interface ClockDisplay {
  target: 'response' | 'resolution';
  label: string;
  state: ClockState;
  tone: ClockTone;
  /** Words for the band, so colour is never the only signal. */
  toneText: string;
  /** Wall-clock milliseconds to the due time at render (negative once past); the browser ticks from here. */
  remainingMs: number;
  /** What the clock shows now: "3 h 05 m", "overdue 12 m 30 s", "paused", "met". */
  text: string;
  dueText: string;
  percentElapsed: number;
  /** The sentence for a title/tooltip and screen readers. */
  detail: string;
}

const TARGET_LABEL = { response: 'Response', resolution: 'Resolution' } as const;

export function toneFor(percentElapsed: number, breached: boolean): ClockTone {
  if (breached || percentElapsed >= 100) return 'breached';
  if (percentElapsed >= 90) return 'warn90';
  if (percentElapsed >= 75) return 'warn75';
  return 'ok';
}

const TONE_TEXT: Record<ClockTone, string> = {
  ok: 'on track',
  warn75: 'past 75 %',
  warn90: 'past 90 %',
  breached: 'breached',
  paused: 'paused',
  neutral: '',
};

export function clockDisplay(
  target: 'response' | 'resolution',
  clock: SlaClockFacts,
  now: Date,
): ClockDisplay {
  const remainingMs = new Date(clock.dueAt).getTime() - now.getTime();
  const label = TARGET_LABEL[target];
  const dueText = formatDateTime(clock.dueAt);
  const base = { target, label, remainingMs, dueText, percentElapsed: clock.percentElapsed };
  if (clock.metAt) {
    const met = formatDateTime(clock.metAt);
    return {
      ...base,
      state: 'met',
      tone: 'neutral',
      toneText: clock.breached ? 'met late' : 'met',
      text: clock.breached ? 'met late' : 'met',
      detail: `Met ${met}${clock.breached ? ', late' : ''} (due ${dueText})`,
    };
  }
  if (clock.stopped) {
    return {
      ...base,
      state: 'stopped',
      tone: 'neutral',
      toneText: 'stopped',
      text: 'stopped',
      detail: `${label} clock stopped${clock.breached ? ' after it breached' : ''}.`,
    };
  }
  if (clock.paused) {
    return {
      ...base,
      state: 'paused',
      tone: 'paused',
      toneText: TONE_TEXT.paused,
      text: 'paused',
      detail: `${label} clock paused while the desk waits for the caller; ${clock.remainingMinutes} business minutes were left.`,
    };
  }
  const breached = clock.breached || remainingMs <= 0;
  const tone = toneFor(clock.percentElapsed, breached);
  return {
    ...base,
    state: breached ? 'breached' : 'running',
    tone,
    toneText: TONE_TEXT[tone],
    text: breached ? `overdue ${formatDuration(remainingMs)}` : formatDuration(remainingMs),
    detail: breached
      ? `${label} target breached: it was due ${dueText}.`
      : `${label} due ${dueText} (${clock.percentElapsed} % of the target used).`,
  };
}

/** The clock a queue row shows: the response clock until it is met or stopped, then the resolution clock. */
export function nextClock(sla: {
  response: SlaClockFacts;
  resolution: SlaClockFacts;
}): 'response' | 'resolution' {
  const r = sla.response;
  return r.metAt || r.stopped ? 'resolution' : 'response';
}
