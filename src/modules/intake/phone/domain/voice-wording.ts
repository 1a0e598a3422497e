import type { Prompt } from './call-menu';

/** What the voice says, in British English. Each prompt is one or more sentences; the TwiML wraps them. */

/** The short recording notice every call hears once, after the greeting. */
export const RECORDING_NOTICE =
  'Calls to this line are recorded, and messages are transcribed, to log your fault.';

export function greeting(deskName: string): string {
  return `Thank you for calling ${deskName}. ${RECORDING_NOTICE}`;
}

const SORRY = "Sorry, I didn't get that.";

/**
 * A reference read out one character at a time, with pauses: `INC-000123` → `I, N, C, 0, 0, 0, 1, 2, 3`. Digits
 * are said one by one, so "one hundred and twenty-three" never hides a zero.
 */
export function spokenReference(reference: string): string {
  return [...reference.replace(/[^A-Za-z0-9]/g, '').toUpperCase()].join(', ');
}

/** The sentences of a prompt (a Gather's question, or what is said before a Record or a Dial). */
export function promptText(prompt: Prompt, deskName: string): string[] {
  switch (prompt.kind) {
    case 'offer-site':
      return [
        ...(prompt.greet ? [greeting(deskName)] : []),
        ...(prompt.retry ? [SORRY] : []),
        `Press 1 if you are calling about ${prompt.siteName}, or 2 for another site.`,
      ];
    case 'ask-site-code':
      return [
        ...(prompt.greet ? [greeting(deskName)] : []),
        ...(prompt.reason === 'unknown' ? ['Sorry, that site code was not recognised.'] : []),
        ...(prompt.reason === 'no-input' ? [SORRY] : []),
        'Please key your site code, then press the hash key.',
      ];
    case 'confirm-keyed-site':
      return [
        ...(prompt.retry ? [SORRY] : []),
        `That is ${prompt.siteName}. Press 1 if that is right, or 2 to key the code again.`,
      ];
    case 'outage':
      return [
        ...(prompt.retry ? [SORRY] : []),
        `We already know about a fault at ${prompt.siteName}, reference ${spokenReference(prompt.reference)}.`,
        'Press 1 to get text message updates on it, or 2 to report something else.',
      ];
    case 'subscribed':
      return [
        `Thank you. We will text you updates on reference ${spokenReference(prompt.reference)}, and when it is fixed.`,
        'Goodbye.',
      ];
    case 'cannot-text':
      return [
        `Sorry, we cannot send text messages to the number you are calling from. The fault, reference ${spokenReference(prompt.reference)}, is being worked on.`,
        'Goodbye.',
      ];
    case 'ask-service':
      return [
        ...(prompt.triage
          ? ['Sorry, we could not find that site. You can still leave a message, and the desk will find it.']
          : []),
        ...(prompt.retry ? [SORRY] : []),
        'Which service is the fault with? Press 1 for wireless, 2 for the network or LAN, 3 for phones, 4 for remote access, 5 for mobile, or 0 for something else.',
      ];
    case 'ask-impact':
      return [
        ...(prompt.retry ? [SORRY] : []),
        'Press 1 if the whole site or many people are affected, or 2 if it is just you.',
      ];
    case 'offer-on-call':
      return [
        ...(prompt.retry ? [SORRY] : []),
        'Press 1 to be put through to the on-call engineer now, or 2 to leave a message.',
      ];
    case 'dial':
      return ['Putting you through to the on-call engineer. If nobody answers, you can leave a message.'];
    case 'record':
      return [
        ...(prompt.reason === 'no-answer' ? ['Sorry, nobody answered.'] : []),
        'After the tone, please describe the fault, where it is, and a number we can call you back on. Press the hash key when you have finished.',
      ];
    case 'goodbye-after-call':
      return ['Thank you for calling. Goodbye.'];
  }
}

/** Said once the incident exists: its reference, twice, and that it comes by text too. */
export function referenceText(reference: string, byText: boolean): string[] {
  const spoken = spokenReference(reference);
  return [
    `Thank you. Your reference is ${spoken}.`,
    `Again, that is ${spoken}.`,
    ...(byText ? ['We will also send it to you by text message.'] : []),
  ];
}

/** Said after a Record that heard nothing and after the message. */
export const NO_MESSAGE_TEXT = 'We did not hear a message, but your call has been logged.';
export const GOODBYE_TEXT = 'Goodbye.';
