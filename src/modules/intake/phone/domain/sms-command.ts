import { formatReference, REFERENCE_PATTERN } from '../../../incidents/domain/incident-reference';
import { OPEN_STATUSES, type IncidentStatus } from '../../../incidents/domain/incident-enums';

/** What an inbound text asks for. */
export type SmsCommand =
  /** STOP (and its synonyms): no more texts; START: texts again; HELP: how to use the desk by text. */
  | { kind: 'keyword'; keyword: 'stop' | 'start' | 'help' }
  /** Nothing but whitespace. */
  | { kind: 'empty' }
  /** A report or a reply: `SITE 1234 wifi down on ward 3`, `INC-000123 still down`, `no change here`. */
  | { kind: 'text'; siteCode: string | null; reference: string | null; text: string };

/** The opt-out and help words carriers and Twilio recognise, as the whole message in any case. */
const KEYWORDS: Readonly<Record<string, 'stop' | 'start' | 'help'>> = {
  stop: 'stop',
  stopall: 'stop',
  unsubscribe: 'stop',
  cancel: 'stop',
  end: 'stop',
  quit: 'stop',
  optout: 'stop',
  revoke: 'stop',
  start: 'start',
  unstop: 'start',
  yes: 'start',
  optin: 'start',
  help: 'help',
  info: 'help',
};

/** `SITE 1234`, `site code 1234:`, `Site #01234 -`: the word site, optional "code", then the site's 3–8 digits. */
const SITE_COMMAND = /\bsite(?:\s*code)?\s*[:#=-]?\s*(\d{3,8})(?!\d)\s*[:,.-]?\s*/i;

/** Control characters a phone should never send (NUL cannot be stored); line breaks and tabs stay. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/** The text as it is kept: control characters (NUL among them) dropped, ends trimmed, at most 1,600 characters. */
export function cleanSmsBody(body: string): string {
  return body.replace(CONTROL, '').trim().slice(0, 1600);
}

export function parseSms(body: string): SmsCommand {
  const text = cleanSmsBody(body);
  if (text === '') return { kind: 'empty' };
  const word = text.toLowerCase().replace(/[\s.!'"-]/g, '');
  const keyword = KEYWORDS[word];
  if (keyword) return { kind: 'keyword', keyword };
  const site = SITE_COMMAND.exec(text);
  const reference = new RegExp(REFERENCE_PATTERN, 'i').exec(text);
  return {
    kind: 'text',
    siteCode: site?.[1] ?? null,
    reference: reference?.[1] ? formatReference(reference[1]) : null,
    // A command at the start is not part of the fault's words.
    text: site && site.index === 0 ? text.slice(site[0].length).trim() || text : text,
  };
}

/** An incident the sender's number is on (it reported it by phone or text, or asked for updates on it). */
export interface SmsCandidate {
  incidentId: string;
  reference: string;
  status: IncidentStatus;
  reportedAt: Date;
}

/** A text joins an open incident of the sender's reported in this window. */
export const SMS_THREAD_WINDOW_MS = 7 * 24 * 3_600_000;

export type SmsTarget =
  | { kind: 'reply'; incidentId: string; reference: string; why: 'named' | 'only_open' | 'latest_open' }
  | { kind: 'create'; why: 'site_command' | 'no_open_incident' };

/**
 * Where a text goes. `SITE 1234 …` always reports a new fault. Otherwise it is a public reply on the sender's open
 * incident from the last seven days: the one it names (INC-…), else the only one, else the latest (the answer
 * says which). With none, it is a new incident.
 */
export function decideSmsTarget(
  command: Extract<SmsCommand, { kind: 'text' }>,
  candidates: readonly SmsCandidate[],
  now: Date,
): SmsTarget {
  if (command.siteCode) return { kind: 'create', why: 'site_command' };
  const open = candidates
    .filter(
      (c) =>
        (OPEN_STATUSES as readonly string[]).includes(c.status) &&
        now.getTime() - c.reportedAt.getTime() <= SMS_THREAD_WINDOW_MS,
    )
    .sort((a, b) => b.reportedAt.getTime() - a.reportedAt.getTime());
  const named = command.reference ? open.find((c) => c.reference === command.reference) : undefined;
  if (named) return { kind: 'reply', incidentId: named.incidentId, reference: named.reference, why: 'named' };
  if (open.length === 1) {
    return { kind: 'reply', incidentId: open[0].incidentId, reference: open[0].reference, why: 'only_open' };
  }
  if (open.length > 1) {
    return {
      kind: 'reply',
      incidentId: open[0].incidentId,
      reference: open[0].reference,
      why: 'latest_open',
    };
  }
  return { kind: 'create', why: 'no_open_incident' };
}
