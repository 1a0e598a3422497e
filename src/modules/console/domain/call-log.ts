import type { CallDto } from '../../intake/phone/dto/call.dto';
import { formatDateTime, formatDuration } from './london-time';

/** One call as the incident page lists it. */
export interface CallLogLine {
  callSid: string;
  from: string;
  started: string;
  startedIso: string;
  duration: string | null;
  outcome: string;
  steps: string;
  recording: { href: string; label: string } | null;
  transcription: string | null;
}

const OUTCOMES: Readonly<Record<string, string>> = {
  reported: 'Reported a fault',
  abandoned: 'Hung up before a message: call back',
  put_through: 'Put through to on-call',
  subscribed: 'Asked for text updates',
  hung_up: 'Hung up',
};

/** The calls of an incident (its `calls` block), oldest first, in the desk's words and times. */
export function callLog(calls: readonly CallDto[]): CallLogLine[] {
  return calls.map((c) => ({
    callSid: c.callSid,
    from: c.from ?? 'Number withheld',
    started: formatDateTime(c.startedAt),
    startedIso: c.startedAt,
    duration: c.durationSeconds === null ? null : formatDuration(c.durationSeconds * 1000),
    outcome: c.outcome ? (OUTCOMES[c.outcome] ?? c.outcome) : 'In progress',
    steps: c.steps
      .filter((s) => s.step !== 'answered')
      .map((s) => (s.digits ? `${s.step} ${s.digits}` : s.step))
      .join(' · '),
    recording: c.recording
      ? {
          href: c.recording.url,
          label: `Recording${c.recording.durationSeconds === null ? '' : ` (${formatDuration(c.recording.durationSeconds * 1000)})`}`,
        }
      : null,
    transcription: c.transcription?.text ?? null,
  }));
}
