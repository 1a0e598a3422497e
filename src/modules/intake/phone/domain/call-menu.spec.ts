import fc from 'fast-check';
import {
  answer,
  factsNeeded,
  MENU_STEPS,
  repeatPrompt,
  startCall,
  type CallState,
  type MenuFacts,
  type MenuSite,
  type MenuStep,
  type Turn,
} from './call-menu';
import { decideCallEnding } from './call-ending';

const NOW = new Date('2026-03-10T09:15:00Z');
const CLINIC: MenuSite = { id: 's1', code: '2001', name: 'Fulwood Clinic', alwaysOpen: false };
const HOSPITAL: MenuSite = { id: 's2', code: '1001', name: 'Royal Preston Hospital', alwaysOpen: true };

const facts = (over: Partial<MenuFacts> = {}): MenuFacts => ({
  hasOnCall: (s) => s === 'lan',
  canText: true,
  ...over,
});

/** Answers in turn, each with the facts given (or none). */
function walk(turn: Turn, answers: [MenuStep, string | null, Partial<MenuFacts>?][]): Turn {
  let current = turn;
  for (const [step, digits, f] of answers) {
    const next = answer(current.state, step, digits, facts(f), NOW);
    if (!next) throw new Error(`${step} was not the step at ${current.state.stage}`);
    current = next;
  }
  return current;
}

const fromLine = (site = CLINIC): Turn => startCall({ site, source: 'line' }, NOW);
const unknown = (): Turn => startCall(null, NOW);

describe('the voice menu', () => {
  it('greets and offers the site of a known line, or asks an unknown caller for the code', () => {
    expect(fromLine().prompt).toEqual({
      kind: 'offer-site',
      siteName: CLINIC.name,
      greet: true,
      retry: false,
    });
    expect(fromLine().state).toMatchObject({ stage: 'confirm-site', turn: 1 });
    expect(unknown().prompt).toEqual({ kind: 'ask-site-code', greet: true, reason: 'first' });
    expect(unknown().state.stage).toBe('site');
  });

  it('walks a known line through site, service and impact to the recording', () => {
    const end = walk(fromLine(), [
      ['confirm-site', '1'],
      ['service', '1'],
      ['impact', '2'],
    ]);
    expect(end.prompt).toEqual({ kind: 'record', reason: 'first' });
    expect(end.state).toMatchObject({
      stage: 'recording',
      turn: 4,
      site: { site: CLINIC, source: 'line' },
      service: 'wireless',
      impact: 'one_user',
    });
    expect(end.state.steps.map((s) => `${s.step}:${s.digits ?? ''}:${s.decision}`)).toEqual([
      'answered::site_offered_from_line',
      'confirm-site:1:site_confirmed',
      'service:1:service_wireless',
      'impact:2:impact_one_user',
    ]);
  });

  it.each([
    ['1', 'wireless'],
    ['2', 'lan'],
    ['3', 'voice'],
    ['4', 'remote_access'],
    ['5', 'mobile'],
    ['0', 'other'],
  ])('maps service digit %s to %s', (digit, service) => {
    expect(
      walk(fromLine(), [
        ['confirm-site', '1'],
        ['service', digit],
      ]).state.service,
    ).toBe(service);
  });

  it.each([
    ['1', 'site_down'],
    ['2', 'one_user'],
  ])('maps impact digit %s to %s', (digit, impact) => {
    expect(
      walk(fromLine(), [
        ['confirm-site', '1'],
        ['service', '1'],
        ['impact', digit],
      ]).state.impact,
    ).toBe(impact);
  });

  it('asks for the code when the caller is about another site, then confirms the keyed one', () => {
    const asked = walk(fromLine(), [['confirm-site', '2']]);
    expect(asked.prompt).toEqual({ kind: 'ask-site-code', greet: false, reason: 'rejected' });
    const keyed = answer(asked.state, 'site', '1001', facts({ keyedSite: HOSPITAL }), NOW);
    expect(keyed?.prompt).toEqual({ kind: 'confirm-keyed-site', siteName: HOSPITAL.name, retry: false });
    const confirmed = answer(keyed!.state, 'confirm-site', '1', facts(), NOW);
    expect(confirmed?.state.site).toEqual({ site: HOSPITAL, source: 'code' });
  });

  it('goes to triage after three wrong tries (unknown codes, nothing keyed, or a keyed site refused)', () => {
    let turn = unknown();
    turn = answer(turn.state, 'site', '9999', facts({ keyedSite: null }), NOW)!;
    expect(turn.prompt).toEqual({ kind: 'ask-site-code', greet: false, reason: 'unknown' });
    turn = answer(turn.state, 'site', null, facts(), NOW)!;
    expect(turn.prompt).toEqual({ kind: 'ask-site-code', greet: false, reason: 'no-input' });
    turn = answer(turn.state, 'site', '1001', facts({ keyedSite: HOSPITAL }), NOW)!;
    turn = answer(turn.state, 'confirm-site', '2', facts(), NOW)!;
    expect(turn.prompt).toEqual({ kind: 'ask-service', retry: false, triage: true });
    expect(turn.state).toMatchObject({ stage: 'service', triage: true, site: null, siteTries: 3 });
  });

  it('tells a caller about a known outage: 1 subscribes, 2 reports something else', () => {
    const outage = { incidentId: 'i1', reference: 'INC-000042' };
    const told = walk(fromLine(), [['confirm-site', '1', { outage }]]);
    expect(told.prompt).toEqual({
      kind: 'outage',
      siteName: CLINIC.name,
      reference: 'INC-000042',
      retry: false,
    });
    expect(answer(told.state, 'outage', '1', facts(), NOW)?.prompt).toEqual({
      kind: 'subscribed',
      reference: 'INC-000042',
    });
    expect(answer(told.state, 'outage', '1', facts({ canText: false }), NOW)?.prompt.kind).toBe(
      'cannot-text',
    );
    expect(answer(told.state, 'outage', '2', facts(), NOW)?.state.stage).toBe('service');
  });

  it('offers on-call only for a site down at a 24x7 site whose service has an on-call number', () => {
    const at = (site: MenuSite, service: string, impact: string) =>
      walk(fromLine(site), [
        ['confirm-site', '1'],
        ['service', service],
        ['impact', impact],
      ]).prompt.kind;
    expect(at(HOSPITAL, '2', '1')).toBe('offer-on-call');
    expect(at(HOSPITAL, '1', '1')).toBe('record'); // wireless has no on-call number
    expect(at(HOSPITAL, '2', '2')).toBe('record'); // just me
    expect(at(CLINIC, '2', '1')).toBe('record'); // not open round the clock
    const offer = walk(fromLine(HOSPITAL), [
      ['confirm-site', '1'],
      ['service', '2'],
      ['impact', '1'],
    ]);
    const dial = answer(offer.state, 'connect', '1', facts(), NOW)!;
    expect(dial.state.stage).toBe('dialling');
    expect(answer(dial.state, 'dialled', null, facts(), NOW, 'no-answer')?.prompt).toEqual({
      kind: 'record',
      reason: 'no-answer',
    });
    expect(answer(dial.state, 'dialled', null, facts(), NOW, 'completed')?.prompt.kind).toBe(
      'goodbye-after-call',
    );
  });

  it('asks again after a wrong key, and moves on by itself after three', () => {
    let turn = walk(fromLine(), [['confirm-site', '1']]);
    turn = answer(turn.state, 'service', '7', facts(), NOW)!;
    expect(turn.prompt).toEqual({ kind: 'ask-service', retry: true, triage: false });
    turn = answer(turn.state, 'service', null, facts(), NOW)!;
    turn = answer(turn.state, 'service', '#', facts(), NOW)!;
    expect(turn.state).toMatchObject({ stage: 'impact', service: 'other', misses: 0 });
  });

  it('answers nothing to a step the caller is not at, and says the current question again', () => {
    const turn = fromLine();
    expect(answer(turn.state, 'impact', '1', facts(), NOW)).toBeNull();
    expect(repeatPrompt(turn.state)).toEqual({
      kind: 'offer-site',
      siteName: CLINIC.name,
      greet: false,
      retry: false,
    });
  });

  it('never gets stuck: any keys at any step keep the call moving, in at most a few questions', () => {
    const keys = fc.constantFrom('0', '1', '2', '3', '4', '5', '9', '#', '*', null, '12', '2001');
    fc.assert(
      fc.property(fc.boolean(), fc.array(keys, { minLength: 40, maxLength: 40 }), (known, presses) => {
        let state: CallState = (known ? fromLine() : unknown()).state;
        let asked = 0;
        for (const digits of presses) {
          const stage = state.stage;
          if (stage === 'recording' || stage === 'finished' || stage === 'dialling') break;
          const step = stage as MenuStep;
          const need = factsNeeded(state, step, digits);
          const next = answer(
            state,
            step,
            digits,
            facts({ keyedSite: need.siteCode === '2001' ? CLINIC : need.siteCode ? null : undefined }),
            NOW,
          );
          if (!next) return false;
          expect(next.state.turn).toBe(state.turn + 1);
          state = next.state;
          asked++;
        }
        // Each step gives up after three misses and the site after three tries: 40 presses always end the menu.
        return ['recording', 'finished', 'dialling'].includes(state.stage) && asked <= 25;
      }),
    );
  });

  it('names every pinned step', () => {
    expect(MENU_STEPS).toEqual(['confirm-site', 'site', 'outage', 'service', 'impact', 'connect', 'dialled']);
  });
});

describe('decideCallEnding', () => {
  const chosen = walk(fromLine(), [
    ['confirm-site', '1'],
    ['service', '1'],
  ]).state;
  it.each([
    [
      'before the site was confirmed',
      fromLine().state,
      true,
      { kind: 'log-only', reason: 'hung_up_at_confirm-site' },
    ],
    [
      'site chosen, service not',
      walk(fromLine(), [['confirm-site', '1']]).state,
      true,
      { kind: 'log-only', reason: 'hung_up_at_service' },
    ],
    ['site and service chosen', chosen, true, { kind: 'abandoned' }],
    [
      'site and service chosen, abandoned calls off',
      chosen,
      false,
      { kind: 'log-only', reason: 'abandoned_at_impact_not_logged' },
    ],
    ['while recording', { ...chosen, stage: 'recording' as const }, true, { kind: 'report' }],
    [
      'after the end of a branch',
      { ...chosen, stage: 'finished' as const },
      true,
      { kind: 'log-only', reason: 'finished' },
    ],
  ])('%s', (_what, state, abandonedIncidents, expected) => {
    expect(decideCallEnding(state, abandonedIncidents)).toEqual(expected);
  });
});
