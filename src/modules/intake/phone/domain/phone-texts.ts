import type { CallImpact, ServiceChoice, SiteSource } from './call-menu';

/** The words of phone and text incidents, and of the texts the desk sends about them. Never a phone number. */

const SERVICE_WORDS: Readonly<Record<ServiceChoice, string>> = {
  wireless: 'wireless',
  lan: 'network (LAN)',
  voice: 'phones',
  remote_access: 'remote access',
  mobile: 'mobile',
  other: 'something else',
};

const IMPACT_WORDS: Readonly<Record<CallImpact, string>> = {
  site_down: 'the whole site or many people',
  one_user: 'just the caller',
};

const SOURCE_WORDS: Readonly<Record<SiteSource, string>> = {
  line: 'the calling line, one of the site’s own',
  contact: 'the caller’s usual site in the directory',
  code: 'the site code the caller keyed',
};

/** How a call became an incident. */
export type CallReportKind = 'message' | 'abandoned' | 'put_through' | 'ended_while_recording';

export interface CallReport {
  kind: CallReportKind;
  callSid: string;
  site: { name: string; code: string; source: SiteSource } | null;
  triage: boolean;
  service: ServiceChoice;
  impact: CallImpact | null;
  callerName: string | null;
  recording: { url: string; seconds: number | null } | null;
  transcription: string | null;
}

export function callSummary(r: CallReport): string {
  const what = `${r.impact === 'site_down' ? 'site down' : 'fault'}, ${SERVICE_WORDS[r.service]}`;
  switch (r.kind) {
    case 'abandoned':
      return `Abandoned call: ${what}`;
    case 'put_through':
      return `Phone (put through to on-call): ${what}`;
    case 'message':
    case 'ended_while_recording':
      return `Phone message: ${what}`;
  }
}

const RECORDING_TO_FOLLOW = 'Recording: to follow from Twilio.';
export const TRANSCRIPTION_HEADING = 'Transcription of the message (automatic, may contain mistakes):';

function recordingLine(recording: CallReport['recording']): string {
  if (!recording) return 'Recording: none.';
  return `Recording: ${recording.url}${recording.seconds !== null ? ` (${recording.seconds} s)` : ''}`;
}

export function callDescription(r: CallReport): string {
  const lines = [
    `Reported by phone by ${r.callerName ?? 'a caller not in the directory'} (call ${r.callSid}).`,
    r.site
      ? `Site: ${r.site.name} (${r.site.code}), from ${SOURCE_WORDS[r.site.source]}.`
      : r.triage
        ? 'Site: not found after three site codes; needs triage.'
        : 'Site: not given.',
    `Service: ${SERVICE_WORDS[r.service]}. Affected: ${r.impact ? IMPACT_WORDS[r.impact] : 'not given'}.`,
  ];
  switch (r.kind) {
    case 'abandoned':
      lines.push('The caller hung up before leaving a message: call them back.');
      break;
    case 'put_through':
      lines.push('The caller was put through to the on-call engineer.');
      break;
    case 'ended_while_recording':
      lines.push('The call ended while the caller was recording a message.');
      break;
    case 'message':
      break;
  }
  lines.push(
    r.kind === 'ended_while_recording' && !r.recording ? RECORDING_TO_FOLLOW : recordingLine(r.recording),
  );
  const text = lines.join('\n');
  return r.transcription ? (withTranscription(text, r.transcription) ?? text) : text;
}

/** The description with the recording's link in place of "to follow" (or added); null when it is there already. */
export function withRecording(description: string, url: string, seconds: number | null): string | null {
  if (description.includes(url)) return null;
  const line = recordingLine({ url, seconds });
  return description.includes(RECORDING_TO_FOLLOW)
    ? description.replace(RECORDING_TO_FOLLOW, line)
    : `${description}\n${line}`;
}

/** The description with the transcription added at the end; null when one is there already. */
export function withTranscription(description: string, transcription: string): string | null {
  if (description.includes(TRANSCRIPTION_HEADING)) return null;
  const text = transcription.trim();
  return `${description}\n\n${TRANSCRIPTION_HEADING}\n${text === '' ? '(nothing could be made out)' : text}`;
}

/** A text's incident: its first line as the summary. */
export function smsSummary(text: string): string {
  const first = text.split(/\r?\n/)[0].trim();
  if (first === '') return 'Text message report';
  return first.length > 100 ? `${first.slice(0, 97)}...` : first;
}

export function smsDescription(
  text: string,
  site: { source: SiteSource | 'text' } | null,
  note: string | null = null,
): string {
  const from =
    site === null
      ? 'the site could not be worked out; needs triage'
      : site.source === 'text'
        ? 'site from the code in the text'
        : site.source === 'line'
          ? 'site from the sending number, one of the site’s lines'
          : 'site from the sender’s usual site in the directory';
  return `${text}\n\n(Sent by text message; ${from}${note ? `; ${note}` : ''}.)`;
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** Texts the desk sends. Each at most 320 characters (two SMS parts). */
export const SMS = {
  reference: (reference: string): string =>
    `RoseDesk: your fault is logged as ${reference}. Reply to this text to add to it. Reply STOP to stop texts.`,
  subscribed: (reference: string, siteName: string): string =>
    `RoseDesk: you will get text updates on ${reference}, the fault we know about at ${excerpt(siteName, 80)}. Reply STOP to stop them.`,
  update: (reference: string, body: string): string => `RoseDesk ${reference} update: ${excerpt(body, 260)}`,
  resolved: (reference: string, summary: string): string =>
    `RoseDesk: ${reference} (${excerpt(summary, 80)}) is resolved. Thank you for your patience.`,
  added: (reference: string, latestOfSeveral: boolean): string =>
    `RoseDesk: added to ${reference}.${latestOfSeveral ? ' To add to another fault, start your text with its reference.' : ''}`,
  created: (reference: string): string =>
    `RoseDesk: thank you, your fault is logged as ${reference}. Reply to this text to add to it. Reply STOP to stop texts.`,
  /**
   * To the on-call numbers of the incident's service when it becomes P1: the reference, the site and the summary
   * cut short (nothing more of the report), within one SMS part when the site's name allows.
   */
  onCallP1: (reference: string, siteName: string, summary: string): string =>
    `RoseDesk P1 ${reference} at ${excerpt(siteName, 50)}: ${excerpt(summary, 70)}`,
  help: 'RoseDesk service desk: text SITE, your site code and the fault (SITE 1234 wifi down on ward 3). Reply to our texts to add to a fault. STOP to stop texts, START to restart them.',
  stopped: 'RoseDesk: you will get no more texts from us. Text START to get them again.',
  started: 'RoseDesk: texts from us are back on. Text HELP for help, STOP to stop them.',
  emptyHelp:
    'RoseDesk: your text was empty. Text SITE, your site code and the fault (SITE 1234 wifi down on ward 3), or HELP.',
} as const;
