import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import twilio from 'twilio';
import type { MenuStep, Prompt } from './domain/call-menu';
import { GOODBYE_TEXT, NO_MESSAGE_TEXT, promptText, referenceText } from './domain/voice-wording';
import { PhoneSettings } from './phone-settings';

/** British English, read by Amazon Polly's Amy through Twilio. */
const VOICE = { voice: 'Polly.Amy', language: 'en-GB' } as const;

/** Seconds Twilio waits for a key press before calling the action with no digits (actionOnEmptyResult). */
const KEY_TIMEOUT = 8;
/** For a site code, keyed digit by digit, a little longer. */
const CODE_TIMEOUT = 12;
/** On-call: seconds the engineer's phone rings before the caller leaves a message instead. */
const DIAL_TIMEOUT = 25;

/**
 * How many built prompts are kept: building TwiML through the library's XML builder was a visible share of a
 * webhook's CPU, and the menu's questions repeat from call to call.
 */
const BUILT_PROMPTS = 500;

/** The answers with nothing in them, built once. */
const EMPTY_VOICE = new twilio.twiml.VoiceResponse().toString();
const EMPTY_MESSAGING = new twilio.twiml.MessagingResponse().toString();

/** Which step's action a question's answer goes to. */
const GATHER_STEP: Partial<Record<Prompt['kind'], MenuStep>> = {
  'offer-site': 'confirm-site',
  'confirm-keyed-site': 'confirm-site',
  'ask-site-code': 'site',
  outage: 'outage',
  'ask-service': 'service',
  'ask-impact': 'impact',
  'offer-on-call': 'connect',
};

/**
 * TwiML with the twilio library's VoiceResponse and MessagingResponse. Every action and callback URL is absolute,
 * under PUBLIC_BASE_URL (`/twilio/voice/<step>?n=<turn>`): the turn tells a retried request from the next answer.
 */
@Injectable()
export class Twiml {
  constructor(private readonly settings: PhoneSettings) {}

  /** The last prompts built (most calls hear the same questions at the same turns), by their inputs. */
  private readonly built = new LRUCache<string, string>({ max: BUILT_PROMPTS });

  /** A menu question (a Gather), or what the menu says and does at the end of a branch. */
  prompt(prompt: Prompt, turn: number, extra: { reference?: string; dialNumber?: string } = {}): string {
    const key = JSON.stringify([prompt, turn, extra.reference, extra.dialNumber]);
    let xml = this.built.get(key);
    if (xml === undefined) {
      xml = this.build(prompt, turn, extra);
      this.built.set(key, xml);
    }
    return xml;
  }

  private build(prompt: Prompt, turn: number, extra: { reference?: string; dialNumber?: string }): string {
    const response = new twilio.twiml.VoiceResponse();
    const sentences = promptText(prompt, this.settings.deskName);
    const gatherStep = GATHER_STEP[prompt.kind];
    if (gatherStep) {
      const gather = response.gather({
        input: ['dtmf'],
        action: this.action(gatherStep, turn),
        method: 'POST',
        actionOnEmptyResult: true,
        ...(gatherStep === 'site'
          ? { finishOnKey: '#', timeout: CODE_TIMEOUT }
          : { numDigits: 1, timeout: KEY_TIMEOUT }),
      });
      for (const s of sentences) gather.say(VOICE, s);
      return response.toString();
    }
    if (prompt.kind === 'dial') {
      if (extra.reference) for (const s of referenceText(extra.reference, false)) response.say(VOICE, s);
      for (const s of sentences) response.say(VOICE, s);
      response.dial(
        { action: this.action('dialled', turn), method: 'POST', timeout: DIAL_TIMEOUT },
        extra.dialNumber ?? '',
      );
      return response.toString();
    }
    if (prompt.kind === 'record') {
      for (const s of sentences) response.say(VOICE, s);
      response.record({
        action: this.action('recorded', turn),
        method: 'POST',
        maxLength: this.settings.recordingMaxSeconds,
        finishOnKey: '#',
        playBeep: true,
        timeout: 6,
        transcribe: true,
        transcribeCallback: this.action('transcription', turn),
      });
      // Reached only when the Record heard nothing (Twilio then skips its action): the call is still logged.
      response.redirect({ method: 'POST' }, this.action('recorded', turn));
      return response.toString();
    }
    // The end of a branch (text updates, after the on-call call): say it and hang up.
    for (const s of sentences) response.say(VOICE, s);
    response.hangup();
    return response.toString();
  }

  /** The end of a report: the reference read back (and that it comes by text), goodbye, hang up. */
  thanks(reference: string, byText: boolean, heardNothing = false): string {
    const response = new twilio.twiml.VoiceResponse();
    if (heardNothing) response.say(VOICE, NO_MESSAGE_TEXT);
    for (const s of referenceText(reference, byText)) response.say(VOICE, s);
    response.say(VOICE, GOODBYE_TEXT);
    response.hangup();
    return response.toString();
  }

  /** For a menu answer of a call the desk has no record of: an apology, and the caller rings again. */
  sorry(): string {
    const response = new twilio.twiml.VoiceResponse();
    response.say(VOICE, 'Sorry, something went wrong. Please call again.');
    response.hangup();
    return response.toString();
  }

  /** An answer with nothing to do (callbacks: status, transcription, a step of a call that has ended). */
  empty(): string {
    return EMPTY_VOICE;
  }

  /**
   * A text's answer: one `<Message>`, or none. `statusCallback`: where Twilio reports its delivery (the Message's
   * `action`, which replaces its deprecated `statusCallback` attribute).
   */
  message(body: string | null, statusCallback?: string): string {
    if (body === null) return EMPTY_MESSAGING;
    const response = new twilio.twiml.MessagingResponse();
    response.message(statusCallback ? { action: statusCallback, method: 'POST' } : {}, body);
    return response.toString();
  }

  private action(step: string, turn: number): string {
    return this.settings.url(`/twilio/voice/${step}?n=${turn}`);
  }
}
