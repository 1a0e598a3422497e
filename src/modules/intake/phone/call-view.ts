import { formatReference } from '../../incidents/domain/incident-reference';
import type { CallState } from './domain/call-menu';
import type { CallDto } from './dto/call.dto';
import type { CallOutcome } from './phone-call.entity';

/** A phone_call row as `callRowsJson` and the call log read it (snake_case, as PostgreSQL's jsonb has it). */
export interface CallRow {
  call_sid: string;
  from_number: string | null;
  to_number: string | null;
  started_at: string | Date;
  ended_at: string | Date | null;
  duration_seconds: number | null;
  twilio_status: string | null;
  state: CallState;
  recording_url: string | null;
  recording_seconds: number | null;
  transcription_status: string | null;
  transcription: string | null;
  outcome: CallOutcome | null;
  incident_number: string | null;
}

/** The columns of a CallRow, for a SELECT over `phone_call c` left-joined to `incident ci`. */
export const CALL_ROW_COLUMNS = `c.call_sid, c.from_number, c.to_number, c.started_at, c.ended_at, c.duration_seconds,
  c.twilio_status, c.state, c.recording_url, c.recording_seconds, c.transcription_status, c.transcription, c.outcome,
  ci.number::text AS incident_number`;

/** Every call linked to the incident aliased `alias`, oldest first, as a json array of CallRows (null: none). */
export function callRowsJson(alias: string): string {
  return `(SELECT json_agg(json_build_object(
      'call_sid', c.call_sid, 'from_number', c.from_number, 'to_number', c.to_number, 'started_at', c.started_at,
      'ended_at', c.ended_at, 'duration_seconds', c.duration_seconds, 'twilio_status', c.twilio_status, 'state', c.state,
      'recording_url', c.recording_url, 'recording_seconds', c.recording_seconds,
      'transcription_status', c.transcription_status, 'transcription', c.transcription, 'outcome', c.outcome,
      'incident_number', ${alias}.number::text) ORDER BY c.started_at, c.id)
    FROM phone_call c WHERE c.incident_id = ${alias}.id)`;
}

const iso = (value: string | Date | null): string | null =>
  value === null ? null : new Date(value).toISOString();

export function presentCall(r: CallRow): CallDto {
  const site = r.state.site;
  return {
    callSid: r.call_sid,
    from: r.from_number,
    to: r.to_number,
    startedAt: iso(r.started_at) ?? '',
    endedAt: iso(r.ended_at),
    durationSeconds: r.duration_seconds,
    status: r.twilio_status,
    outcome: r.outcome,
    incident: r.incident_number ? formatReference(r.incident_number) : null,
    site: site ? { code: site.site.code, name: site.site.name, source: site.source } : null,
    service: r.state.service,
    impact: r.state.impact,
    triage: r.state.triage,
    steps: r.state.steps,
    recording: r.recording_url ? { url: r.recording_url, durationSeconds: r.recording_seconds } : null,
    transcription:
      r.transcription_status || r.transcription
        ? { status: r.transcription_status, text: r.transcription }
        : null,
  };
}
