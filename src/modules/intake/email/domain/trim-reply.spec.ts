import { corpusFiles, readCorpusFile } from './mail-corpus.testing';
import { trimReply } from './trim-reply';

/** The five-line reply most of crisp-oss/email-reply-parser's fixtures open with. */
const LOREM = [
  'Fusce bibendum, quam hendrerit sagittis tempor, dui turpis tempus erat, pharetra sodales ante sem sit amet metus.',
  'Nulla malesuada, orci non vulputate lobortis, massa felis pharetra ex, convallis consectetur ex libero eget ante.',
  'Nam vel turpis posuere, rhoncus ligula in, venenatis orci. Duis interdum venenatis ex a rutrum.',
  'Duis ut libero eu lectus consequat consequat ut vel lorem. Vestibulum convallis lectus urna,',
  'et mollis ligula rutrum quis. Fusce sed odio id arcu varius aliquet nec nec nibh.',
].join('\n');

/**
 * Our expectation for every reply fixture: the body we keep and whether anything was cut. `null` body
 * means "the whole text, untouched" (deliberately not trimmed; see trim-reply.ts).
 */
const EXPECTED: Record<string, { body: string | null; trimmed: boolean; note: string }> = {
  'email-reply-parser-email_1.txt': {
    body:
      'Hi folks\n\nWhat is the best way to clear a Riak bucket of all key, values after\nrunning a test?\n' +
      'I am currently using the Java HTTP API.\n\n-Abhishek Kona',
    trimmed: true,
    note: 'no quote; the "__" mailing-list footer is dropped as a signature',
  },
  'email-reply-parser-email_custom_quote_header.txt': {
    body: 'Thank you!',
    trimmed: true,
    note: 'Hungarian "… írta:" attribution',
  },
  'email-reply-parser-email_emoji.txt': { body: '🎉', trimmed: true, note: 'em-dash signature' },
  'email-reply-parser-email_finnish.txt': {
    body: LOREM,
    trimmed: true,
    note: '"… kirjoitti:" over two lines',
  },
  'email-reply-parser-email_french_dash_separator.txt': {
    body: LOREM,
    trimmed: true,
    note: "-------- Message d'origine --------",
  },
  'email-reply-parser-email_german_outlook.txt': {
    body: LOREM,
    trimmed: true,
    note: '-----Ursprüngliche Nachricht-----',
  },
  'email-reply-parser-email_gmail_split_line_from.txt': {
    body: LOREM,
    trimmed: true,
    note: 'Gmail "On … <" / "addr> wrote:"',
  },
  'email-reply-parser-email_ios_outlook.txt': {
    body: LOREM,
    trimmed: true,
    note: 'underscore rule; "Get Outlook for iOS" signature',
  },
  'email-reply-parser-email_ios_outlook_fr.txt': {
    body: LOREM,
    trimmed: true,
    note: '"Envoyé à partir de Outlook pour iOS" signature',
  },
  'email-reply-parser-email_italian.txt': { body: LOREM, trimmed: true, note: '"In data … ha scritto:"' },
  'email-reply-parser-email_msn.txt': {
    body: LOREM,
    trimmed: true,
    note: 'underscore rule then From:/Sent:',
  },
  'email-reply-parser-email_norwegian_gmail.txt': {
    body: LOREM,
    trimmed: true,
    note: '"… skrev Name <addr" / ">:" — the closing bracket wraps onto a line that looks like a quote',
  },
  'email-reply-parser-email_original_message.txt': {
    body: LOREM,
    trimmed: true,
    note: 'lower-case -----original message-----',
  },
  'email-reply-parser-email_outlook_split_line_from.txt': {
    body: LOREM,
    trimmed: true,
    note: 'Outlook From: block with the address wrapped',
  },
  'email-reply-parser-email_portuguese.txt': {
    body: LOREM,
    trimmed: true,
    note: '"Em … (" / "addr) escreveu:"',
  },
  'email-reply-parser-email_reply_header.txt': {
    body:
      'This is the latest reply.\n\n' +
      'The thread contains two previous replies, and the most recent reply header has a line break in it.\n\n' +
      "If we don't patch the line break, the reply header ends up in THIS fragment, instead of in the quoted fragment.\n\n" +
      "On the one hand, there could be a line in the reply starting with the word 'On.'\n\n" +
      'On the other hand, it could happen TWICE!\n\nStranger',
    trimmed: true,
    note: 'three-line "On … / <addr> / wrote:"; lines starting with "On" are kept',
  },
  'email-reply-parser-email_russian.txt': {
    body: LOREM,
    trimmed: true,
    note: 'Gmail Russian "<date, time>, Name <addr>:" with no verb',
  },
  'email-reply-parser-email_sent_from.txt': {
    body: 'Hi it can happen to any texts you type, as long as you type in between words or paragraphs.',
    trimmed: true,
    note: '"Sent from TypeApp" signature right above a wrapped "On … wrote:"',
  },
  'email-reply-parser-email_thread.txt': {
    body: 'This is new email reply in thread from bellow.',
    trimmed: true,
    note: 'Apple "On …," / "at …," / "Name <addr> wrote:"',
  },
  'email-reply-parser-email_tricky_17_forward_header.txt': {
    body: null,
    trimmed: false,
    note: 'NOT handled as quoted on purpose: a forward to the desk is usually the substance of the report',
  },
  'email-reply-parser-email_tricky_18_inline_reply.txt': {
    body: null,
    trimmed: false,
    note: 'NOT trimmed on purpose: interleaved answers would be lost; kept whole with its quotes',
  },
  'email-reply-parser-email_tricky_5_mixed_languages.txt': {
    body: LOREM,
    trimmed: true,
    note: 'French "Le … a écrit :" above nested German/English',
  },
  'email-reply-parser-email_zoho.txt': {
    body: 'What is the best way to clear a Riak bucket of all key, values after\nrunning a test?',
    trimmed: true,
    note: 'Zoho "---- On … wrote ----"',
  },
};

describe('trimReply on every crisp-oss/email-reply-parser fixture', () => {
  const files = corpusFiles('replies', '.txt');

  it('has an expectation for every file in the folder', () => {
    expect(files).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(files)('%s', (file) => {
    const text = readCorpusFile('replies', file).toString('utf8');
    const expected = EXPECTED[file];
    if (expected === undefined) throw new Error(`no expectation for ${file}`);
    const result = trimReply(text);
    expect(result.trimmed).toBe(expected.trimmed);
    expect(result.body).toBe(expected.body ?? text.replace(/\r\n?/g, '\n').replace(/\s+$/, ''));
  });

  it('gives the same result with CRLF line endings', () => {
    for (const file of files) {
      const text = readCorpusFile('replies', file).toString('utf8');
      expect(trimReply(text.replace(/\r?\n/g, '\r\n'))).toEqual(trimReply(text));
    }
  });
});

describe('trimReply on hand-written cases', () => {
  it.each<[string, string, string, boolean]>([
    ['plain text', 'The printer on ward 5 is offline.', 'The printer on ward 5 is offline.', false],
    ['empty', '', '', false],
    ['bottom quote', 'Still broken.\n\n> Is it fixed?\n> Jo', 'Still broken.', true],
    ['Sent from my iPhone', 'Still broken.\n\nSent from my iPhone\n', 'Still broken.', true],
    ['Von meinem iPhone gesendet', 'Geht nicht.\n\nVon meinem iPhone gesendet', 'Geht nicht.', true],
    [
      '"Sent from" inside a message is content',
      'Sent from ward 5 at 10:00:\nthe error appears on login.',
      'Sent from ward 5 at 10:00:\nthe error appears on login.',
      false,
    ],
    ['"-- " signature', 'Done, thanks.\n-- \nJo Bloggs\nIT, Ward 5', 'Done, thanks.', true],
    [
      'a long block after "--" is content, not a signature',
      `Log:\n--\n${Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n')}`,
      `Log:\n--\n${Array.from({ length: 20 }, (_, i) => `line ${i}`).join('\n')}`,
      false,
    ],
    [
      'German Gmail attribution',
      'Danke.\n\nAm Mi., 1. Juni 2011 um 10:00 Uhr schrieb RoseDesk <servicedesk@rosedesk.local>:\n> Ihr Ticket',
      'Danke.',
      true,
    ],
    [
      'Outlook German header block without the rule',
      'Erledigt.\n\nVon: RoseDesk <servicedesk@rosedesk.local>\nGesendet: Mittwoch, 1. Juni 2011 10:00\nAn: Jo',
      'Erledigt.',
      true,
    ],
    [
      'Outlook French header block',
      'Merci.\n\nDe : RoseDesk\nEnvoyé : mercredi 1 juin 2011 10:00\nÀ : Jo\nObjet : [INC-000123]',
      'Merci.',
      true,
    ],
    [
      'Spanish attribution',
      'Gracias.\n\nEl mié, 1 jun 2011 a las 10:00, Jo <jo@x.es> escribió:\n> hola',
      'Gracias.',
      true,
    ],
    [
      'Dutch attribution',
      'Bedankt.\n\nOp 1 jun. 2011 om 10:00 schreef Jo <jo@x.nl>:\n> hallo',
      'Bedankt.',
      true,
    ],
    [
      'interleaved answers after a first line of reply are kept',
      'See below.\n\n> Which PC?\nPC-0042\n> Which ward?\nWard 5',
      'See below.\n\n> Which PC?\nPC-0042\n> Which ward?\nWard 5',
      false,
    ],
    ['only a quote: kept rather than emptied', '> Is it fixed?', '> Is it fixed?', false],
  ])('%s', (_name, text, body, trimmed) => {
    expect(trimReply(text)).toEqual({ body, trimmed });
  });
});
