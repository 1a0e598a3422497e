/**
 * The voice menu as a state machine: where a caller is, and what each key press does. Pure: the service loads
 * what a step needs first (the site a keyed code names, an outage at the chosen site) and passes it in.
 *
 * The pinned steps (each an action URL under /twilio/voice/<step>):
 * - `confirm-site`: 1 = yes, 2 = another site;
 * - `site`: the site code, finished by #;
 * - `outage`: 1 = text updates on the known fault, 2 = report something else;
 * - `service`: 1 wireless, 2 network/LAN, 3 phones, 4 remote access, 5 mobile, 0 something else;
 * - `impact`: 1 the whole site or many people (`site_down`), 2 just me (`one_user`).
 * Two more for the on-call offer: `connect` (1 = put me through, 2 = leave a message) and `dialled` (the Dial's
 * action). `recorded`, `transcription` and `status` are callbacks the service handles around the menu.
 */

export const MENU_STEPS = [
  'confirm-site',
  'site',
  'outage',
  'service',
  'impact',
  'connect',
  'dialled',
] as const;
export type MenuStep = (typeof MENU_STEPS)[number];

/** Every step Twilio may call back: the menu's, and the recording, transcription and call-status callbacks. */
export const VOICE_STEPS = [...MENU_STEPS, 'recorded', 'transcription', 'status'] as const;
export type VoiceStep = (typeof VOICE_STEPS)[number];

export const isVoiceStep = (value: string): value is VoiceStep =>
  (VOICE_STEPS as readonly string[]).includes(value);

/** Where the caller is: the step whose answer is awaited, or what the call is doing. */
export type CallStage = Exclude<MenuStep, 'dialled'> | 'recording' | 'dialling' | 'finished';

/** A site as the menu says and decides on it. */
export interface MenuSite {
  id: string;
  code: string;
  name: string;
  /** Open round the clock (its class's calendar is 24x7): a site down there may be put through to on-call. */
  alwaysOpen: boolean;
}

/** How the site was found: the calling line is the site's, the caller's directory entry, or a keyed code. */
export type SiteSource = 'line' | 'contact' | 'code';

/** The service digits, pinned. */
export const SERVICE_DIGITS = {
  '1': 'wireless',
  '2': 'lan',
  '3': 'voice',
  '4': 'remote_access',
  '5': 'mobile',
  '0': 'other',
} as const;
export type ServiceDigit = keyof typeof SERVICE_DIGITS;
export type ServiceChoice = (typeof SERVICE_DIGITS)[ServiceDigit];

/** The impact digits, pinned: 1 the whole site or many people, 2 just me. */
export const IMPACT_DIGITS = { '1': 'site_down', '2': 'one_user' } as const;
export type CallImpact = (typeof IMPACT_DIGITS)[keyof typeof IMPACT_DIGITS];

export interface KnownOutage {
  incidentId: string;
  reference: string;
}

/** One answer the caller gave, kept in the call log. */
export interface CallStepRecord {
  step: string;
  digits: string | null;
  decision: string;
  at: string;
}

export interface CallState {
  stage: CallStage;
  /** The turn number the next action URL carries (`?n=`): a retried request repeats it, a new one moves on. */
  turn: number;
  /** The site offered for confirmation (from the line, the contact, or a keyed code). */
  offered: { site: MenuSite; source: SiteSource } | null;
  /** The confirmed site. */
  site: { site: MenuSite; source: SiteSource } | null;
  /** Three wrong site codes: the message is taken anyway and the incident goes to triage. */
  triage: boolean;
  /** Site codes keyed that found no site, or a keyed site that was not confirmed. */
  siteTries: number;
  /** Unrecognised or missing key presses at the current step. */
  misses: number;
  outage: KnownOutage | null;
  service: ServiceChoice | null;
  impact: CallImpact | null;
  /** Every answer, in order (the call log's steps and digits). */
  steps: CallStepRecord[];
}

/** What to say next: the service renders it as TwiML. */
export type Prompt =
  | { kind: 'offer-site'; siteName: string; greet: boolean; retry: boolean }
  | { kind: 'ask-site-code'; greet: boolean; reason: 'first' | 'unknown' | 'rejected' | 'no-input' }
  | { kind: 'confirm-keyed-site'; siteName: string; retry: boolean }
  | { kind: 'outage'; siteName: string; reference: string; retry: boolean }
  | { kind: 'subscribed'; reference: string }
  /** Pressed 1 for texts from a number that cannot take them (withheld, a landline). */
  | { kind: 'cannot-text'; reference: string }
  | { kind: 'ask-service'; retry: boolean; triage: boolean }
  | { kind: 'ask-impact'; retry: boolean }
  | { kind: 'offer-on-call'; retry: boolean }
  /** Put through to the service's on-call number (the service creates the incident first). */
  | { kind: 'dial' }
  | { kind: 'record'; reason: 'first' | 'no-answer' }
  | { kind: 'goodbye-after-call' };

export interface Turn {
  state: CallState;
  prompt: Prompt;
  /** For the call log and the app log: what was decided (never a number or a name). */
  decision: string;
}

/** What the menu needs from outside for one answer. */
export interface MenuFacts {
  /** For `site`: the active site the keyed code names (null: none). */
  keyedSite?: MenuSite | null;
  /** For `confirm-site` answered 1: an open P1 or P2 at the offered site from the last 12 hours. */
  outage?: KnownOutage | null;
  /** Whether the chosen service has an on-call number. */
  hasOnCall: (service: ServiceChoice) => boolean;
  /** Whether the caller's number can take texts (not withheld, not a landline). */
  canText: boolean;
}

/** Wrong or missing answers at one step before the menu moves on by itself. */
export const MAX_MISSES = 3;
/** Site codes before the message is taken anyway (triage). */
export const MAX_SITE_TRIES = 3;

/** What the service must load before `answer` can decide this step. */
export function factsNeeded(
  state: CallState,
  step: MenuStep,
  digits: string | null,
): { siteCode?: string; outageAtSite?: string } {
  if (step === 'site' && digits && /^\d{1,8}$/.test(digits)) return { siteCode: digits };
  if (step === 'confirm-site' && digits === '1' && state.offered)
    return { outageAtSite: state.offered.site.id };
  return {};
}

/** The call answered: the greeting and the first question. */
export function startCall(found: { site: MenuSite; source: 'line' | 'contact' } | null, now: Date): Turn {
  const base: CallState = {
    stage: found ? 'confirm-site' : 'site',
    turn: 1,
    offered: found,
    site: null,
    triage: false,
    siteTries: 0,
    misses: 0,
    outage: null,
    service: null,
    impact: null,
    steps: [],
  };
  const decision = found ? `site_offered_from_${found.source}` : 'site_unknown_ask_code';
  const state = record(base, 'answered', null, decision, now);
  return found
    ? {
        state,
        prompt: { kind: 'offer-site', siteName: found.site.name, greet: true, retry: false },
        decision,
      }
    : { state, prompt: { kind: 'ask-site-code', greet: true, reason: 'first' }, decision };
}

/**
 * One answer to the step the caller is at. `digits` is what Twilio reports (null or '' when nothing was pressed).
 * A step the caller is not at (an old request) gets null: the service repeats the current question.
 */
export function answer(
  state: CallState,
  step: MenuStep,
  digits: string | null,
  facts: MenuFacts,
  now: Date,
  dialStatus?: string | null,
): Turn | null {
  const expected: CallStage = step === 'dialled' ? 'dialling' : step;
  if (state.stage !== expected) return null;
  const d = digits?.trim() ?? '';
  const next = (changes: Partial<CallState>, prompt: Prompt, decision: string, keepMisses = false): Turn => ({
    state: record(
      { ...state, ...changes, turn: state.turn + 1, misses: keepMisses ? state.misses + 1 : 0 },
      step,
      d === '' ? null : d,
      decision,
      now,
    ),
    prompt,
    decision,
  });
  const missed = (prompt: Prompt): Turn => next({}, prompt, d === '' ? 'no_input' : 'unrecognised', true);
  const giveUp = state.misses + 1 >= MAX_MISSES;

  switch (step) {
    case 'confirm-site': {
      const offered = state.offered;
      if (!offered) return askSiteCode(next, 'first');
      if (d === '1') return siteConfirmed(next, offered, facts.outage ?? null);
      if (d === '2' || giveUp) {
        if (offered.source !== 'code') return askSiteCode(next, 'rejected', { offered: null });
        return wrongSite(state, next, 'rejected');
      }
      return missed(
        offered.source === 'code'
          ? { kind: 'confirm-keyed-site', siteName: offered.site.name, retry: true }
          : { kind: 'offer-site', siteName: offered.site.name, greet: false, retry: true },
      );
    }
    case 'site': {
      if (facts.keyedSite) {
        return next(
          { stage: 'confirm-site', offered: { site: facts.keyedSite, source: 'code' } },
          { kind: 'confirm-keyed-site', siteName: facts.keyedSite.name, retry: false },
          'site_code_found',
        );
      }
      return wrongSite(state, next, d === '' ? 'no-input' : 'unknown');
    }
    case 'outage': {
      if (d === '1' && state.outage) {
        return facts.canText
          ? next(
              { stage: 'finished' },
              { kind: 'subscribed', reference: state.outage.reference },
              'outage_updates_by_text',
            )
          : next(
              { stage: 'finished' },
              { kind: 'cannot-text', reference: state.outage.reference },
              'outage_updates_number_cannot_take_texts',
            );
      }
      if (d === '2' || giveUp) {
        return next(
          { stage: 'service' },
          { kind: 'ask-service', retry: false, triage: false },
          'outage_other_fault',
        );
      }
      return missed({
        kind: 'outage',
        siteName: state.site?.site.name ?? '',
        reference: state.outage?.reference ?? '',
        retry: true,
      });
    }
    case 'service': {
      const service = isServiceDigit(d) ? SERVICE_DIGITS[d] : giveUp ? SERVICE_DIGITS['0'] : null;
      if (!service) return missed({ kind: 'ask-service', retry: true, triage: false });
      return next(
        { stage: 'impact', service },
        { kind: 'ask-impact', retry: false },
        isServiceDigit(d) ? `service_${service}` : 'service_other_after_misses',
      );
    }
    case 'impact': {
      const impact = d === '1' || d === '2' ? IMPACT_DIGITS[d] : giveUp ? 'one_user' : null;
      if (!impact) return missed({ kind: 'ask-impact', retry: true });
      const service = state.service ?? 'other';
      const offerOnCall =
        impact === 'site_down' && state.site?.site.alwaysOpen === true && facts.hasOnCall(service);
      return offerOnCall
        ? next(
            { stage: 'connect', impact },
            { kind: 'offer-on-call', retry: false },
            `impact_${impact}_offer_on_call`,
          )
        : next({ stage: 'recording', impact }, { kind: 'record', reason: 'first' }, `impact_${impact}`);
    }
    case 'connect': {
      if (d === '1') return next({ stage: 'dialling' }, { kind: 'dial' }, 'put_through_to_on_call');
      if (d === '2' || giveUp) {
        return next({ stage: 'recording' }, { kind: 'record', reason: 'first' }, 'leave_a_message');
      }
      return missed({ kind: 'offer-on-call', retry: true });
    }
    case 'dialled': {
      if (dialStatus === 'completed' || dialStatus === 'answered') {
        return next({ stage: 'finished' }, { kind: 'goodbye-after-call' }, 'on_call_answered');
      }
      return next(
        { stage: 'recording' },
        { kind: 'record', reason: 'no-answer' },
        `on_call_${(dialStatus ?? 'no-answer').replace(/[^a-z-]/g, '').slice(0, 24)}`,
      );
    }
  }
}

type Next = (changes: Partial<CallState>, prompt: Prompt, decision: string, keepMisses?: boolean) => Turn;

function askSiteCode(
  next: Next,
  reason: 'first' | 'unknown' | 'rejected' | 'no-input',
  changes: Partial<CallState> = {},
): Turn {
  return next(
    { ...changes, stage: 'site' },
    { kind: 'ask-site-code', greet: false, reason },
    `ask_site_code_${reason}`,
  );
}

/** A keyed code that names no site, or a keyed site that was not the one: another try, or triage after three. */
function wrongSite(state: CallState, next: Next, reason: 'unknown' | 'rejected' | 'no-input'): Turn {
  const siteTries = state.siteTries + 1;
  if (siteTries >= MAX_SITE_TRIES) {
    return next(
      { stage: 'service', siteTries, offered: null, triage: true },
      { kind: 'ask-service', retry: false, triage: true },
      'site_not_found_triage',
    );
  }
  return askSiteCode(next, reason, { siteTries, offered: null });
}

function siteConfirmed(
  next: Next,
  offered: { site: MenuSite; source: SiteSource },
  outage: KnownOutage | null,
): Turn {
  if (outage) {
    return next(
      { stage: 'outage', site: offered, offered: null, outage },
      { kind: 'outage', siteName: offered.site.name, reference: outage.reference, retry: false },
      'site_confirmed_known_outage',
    );
  }
  return next(
    { stage: 'service', site: offered, offered: null },
    { kind: 'ask-service', retry: false, triage: false },
    'site_confirmed',
  );
}

function isServiceDigit(d: string): d is ServiceDigit {
  return Object.hasOwn(SERVICE_DIGITS, d);
}

/** At most this many answers are kept per call (a caller pressing keys for an hour cannot grow the row for ever). */
export const MAX_STEP_RECORDS = 60;

function record(
  state: CallState,
  step: string,
  digits: string | null,
  decision: string,
  now: Date,
): CallState {
  const steps = [...state.steps, { step, digits, decision, at: now.toISOString() }];
  return { ...state, steps: steps.slice(-MAX_STEP_RECORDS) };
}

/** The state after a callback outside the menu (recorded, status): the stage and one more step in the log. */
export function noteStep(
  state: CallState,
  step: string,
  decision: string,
  now: Date,
  stage: CallStage = state.stage,
): CallState {
  return record({ ...state, stage, turn: state.turn + 1 }, step, null, decision, now);
}

/** The question of the stage the caller is at, asked again (a request out of turn, or one the menu cannot place). */
export function repeatPrompt(state: CallState): Prompt | null {
  switch (state.stage) {
    case 'confirm-site':
      if (!state.offered) return { kind: 'ask-site-code', greet: false, reason: 'first' };
      return state.offered.source === 'code'
        ? { kind: 'confirm-keyed-site', siteName: state.offered.site.name, retry: false }
        : { kind: 'offer-site', siteName: state.offered.site.name, greet: false, retry: false };
    case 'site':
      return { kind: 'ask-site-code', greet: false, reason: 'first' };
    case 'outage':
      return {
        kind: 'outage',
        siteName: state.site?.site.name ?? '',
        reference: state.outage?.reference ?? '',
        retry: false,
      };
    case 'service':
      return { kind: 'ask-service', retry: false, triage: false };
    case 'impact':
      return { kind: 'ask-impact', retry: false };
    case 'connect':
      return { kind: 'offer-on-call', retry: false };
    case 'recording':
      return { kind: 'record', reason: 'first' };
    case 'dialling':
    case 'finished':
      return null;
  }
}
