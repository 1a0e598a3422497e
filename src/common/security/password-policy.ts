import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';

/** NIST SP 800-63B §5.1.1.2: at least 8 characters; we keep 12. No composition rules, no forced expiry. */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 1024;
/**
 * zxcvbn's score 3 ("safely unguessable": about 10^8 guesses or more). Below it are the passwords 800-63B says
 * to refuse: those in lists of breached and common passwords (zxcvbn-ts's list of 30,000 and its English
 * dictionaries, with l33t and reversed forms), repetitive or sequential characters (`aaaaaaaaaaaa`,
 * `abcabcabcabc`, `123456789012`, keyboard walks) and words from the account's own context.
 */
export const PASSWORD_MIN_SCORE = 3;

/** Words of the service itself, refused in a password like the account's own name and address. */
const SERVICE_WORDS = ['rosedesk', 'servicedesk', 'service desk', 'nhs'];

let checker: ZxcvbnFactory | null = null;

/** Built on first use: loading the dictionaries takes about 0.2 s, which a process that never checks need not pay. */
function zxcvbn(): ZxcvbnFactory {
  checker ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: english.translations,
  });
  return checker;
}

/**
 * Why this password may not be used, or null when it may. `context` holds the account's own words (its email
 * address and name), which a password must not be built from.
 */
export function passwordProblem(password: string, context: readonly string[] = []): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const result = zxcvbn().check(password.slice(0, 256), [...contextWords(context), ...SERVICE_WORDS]);
  // Every letter and digit from the account's own words (`jobloggs.example` for jobloggs.example@…) is guessed
  // first by anyone who knows the account, whatever the score says.
  const ownWordsOnly = result.sequence.every(
    (m) =>
      !/[\p{L}\p{N}]/u.test(m.token) || (m.pattern === 'dictionary' && m.dictionaryName === 'userInputs'),
  );
  if (ownWordsOnly)
    return 'is too easy to guess: it is made of the account’s own name, address or the service’s name';
  if (result.score >= PASSWORD_MIN_SCORE) return null;
  const why = result.feedback.warning?.replace(/\.$/, '');
  return `is too easy to guess${why ? ` (${why})` : ''}: use a longer passphrase of several unrelated words`;
}

/** An address and a name as the words a password could be made of: whole, and split at dots, dashes and spaces. */
function contextWords(context: readonly string[]): string[] {
  const words = new Set<string>();
  for (const value of context) {
    const text = value.trim().toLowerCase();
    if (!text) continue;
    words.add(text);
    const local = text.split('@')[0];
    words.add(local);
    for (const part of text.split(/[\s@._+-]+/)) if (part.length >= 2) words.add(part);
  }
  return [...words];
}
