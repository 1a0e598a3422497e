import {
  callDescription,
  callSummary,
  SMS,
  smsSummary,
  TRANSCRIPTION_HEADING,
  withRecording,
  withTranscription,
  type CallReport,
} from './phone-texts';
import { promptText, spokenReference } from './voice-wording';

const report = (over: Partial<CallReport> = {}): CallReport => ({
  kind: 'message',
  callSid: `CA${'1'.repeat(32)}`,
  site: { name: 'Fulwood Clinic', code: '2001', source: 'line' },
  triage: false,
  service: 'wireless',
  impact: 'site_down',
  callerName: null,
  recording: { url: 'https://api.twilio.com/x/Recordings/RE1', seconds: 17 },
  transcription: null,
  ...over,
});

describe('phone incident wording', () => {
  it('summarises how the call ended, what and how bad', () => {
    expect(callSummary(report())).toBe('Phone message: site down, wireless');
    expect(callSummary(report({ kind: 'abandoned', impact: null, service: 'lan' }))).toBe(
      'Abandoned call: fault, network (LAN)',
    );
    expect(callSummary(report({ kind: 'put_through' }))).toBe(
      'Phone (put through to on-call): site down, wireless',
    );
  });

  it('describes the call without the caller’s number', () => {
    expect(callDescription(report({ callerName: 'Ada Pennington' }))).toBe(
      [
        `Reported by phone by Ada Pennington (call CA${'1'.repeat(32)}).`,
        'Site: Fulwood Clinic (2001), from the calling line, one of the site’s own.',
        'Service: wireless. Affected: the whole site or many people.',
        'Recording: https://api.twilio.com/x/Recordings/RE1 (17 s)',
      ].join('\n'),
    );
  });

  it('adds the recording in place of "to follow", and the transcription, each once', () => {
    const waiting = callDescription(report({ kind: 'ended_while_recording', recording: null }));
    expect(waiting).toContain('Recording: to follow from Twilio.');
    const withIt = withRecording(waiting, 'https://r/RE2', 9)!;
    expect(withIt).toContain('Recording: https://r/RE2 (9 s)');
    expect(withIt).not.toContain('to follow');
    expect(withRecording(withIt, 'https://r/RE2', 9)).toBeNull();
    const transcribed = withTranscription(withIt, ' Wifi down. ')!;
    expect(transcribed.endsWith(`${TRANSCRIPTION_HEADING}\nWifi down.`)).toBe(true);
    expect(withTranscription(transcribed, 'again')).toBeNull();
  });

  it('keeps every text the desk sends within two SMS parts', () => {
    const long = 'x'.repeat(2000);
    for (const body of [
      SMS.reference('INC-1234567'),
      SMS.subscribed('INC-1234567', long),
      SMS.update('INC-1234567', long),
      SMS.resolved('INC-1234567', long),
      SMS.added('INC-1234567', true),
      SMS.created('INC-1234567'),
      SMS.help,
      SMS.stopped,
      SMS.started,
    ]) {
      expect(body.length).toBeLessThanOrEqual(320);
    }
    expect(SMS.onCallP1('INC-1234567', long, long).length).toBeLessThanOrEqual(160);
    expect(smsSummary('')).toBe('Text message report');
    expect(smsSummary(`${'y'.repeat(120)}\nmore`)).toHaveLength(100);
  });
});

describe('the P1 alert to on-call', () => {
  it('names the reference, the site and the summary, cut short to one SMS part', () => {
    expect(SMS.onCallP1('INC-000123', 'Royal Preston Hospital', 'Whole site off the network')).toBe(
      'RoseDesk P1 INC-000123 at Royal Preston Hospital: Whole site off the network',
    );
    const cut = SMS.onCallP1('INC-000123', 'Royal Preston Hospital', `Ward 3 ${'and ward 4 '.repeat(20)}`);
    expect(cut).toHaveLength('RoseDesk P1 INC-000123 at Royal Preston Hospital: '.length + 70);
    expect(cut.endsWith('...')).toBe(true);
  });
});

describe('voice wording', () => {
  it('reads a reference one character at a time', () => {
    expect(spokenReference('INC-000123')).toBe('I, N, C, 0, 0, 0, 1, 2, 3');
  });

  it('greets with the desk’s name and the recording notice, once', () => {
    const first = promptText({ kind: 'ask-site-code', greet: true, reason: 'first' }, 'the desk');
    expect(first[0]).toBe(
      'Thank you for calling the desk. Calls to this line are recorded, and messages are transcribed, to log your fault.',
    );
    expect(promptText({ kind: 'ask-site-code', greet: false, reason: 'first' }, 'the desk')).toHaveLength(1);
  });
});
