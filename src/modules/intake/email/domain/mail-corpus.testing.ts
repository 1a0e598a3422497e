// Test support only (imported by specs): reads the shared real-world mail corpus. Not domain code.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { ParsedMail, simpleParser } from 'mailparser';

import { InboundMail } from './inbound-mail';
import { INTAKE_PARSER_OPTIONS, toInboundMail } from './to-inbound-mail';

/**
 * The real-world corpus, kept byte for byte in `test/data/mail` (a copy of the developer set `shared/data/mail`,
 * with its sources and licences in its README) so the tests do not depend on where the clone sits.
 */
export const MAIL_CORPUS_DIR = resolve(__dirname, '../../../../..', 'test', 'data', 'mail');

export function corpusFiles(subfolder: string, extension: string): string[] {
  return readdirSync(join(MAIL_CORPUS_DIR, subfolder))
    .filter((name) => name.endsWith(extension))
    .sort();
}

export function readCorpusFile(subfolder: string, name: string): Buffer {
  return readFileSync(join(MAIL_CORPUS_DIR, subfolder, name));
}

/** Parses a corpus `.eml` the way the intake service does. */
export async function parseCorpusMail(
  subfolder: string,
  name: string,
): Promise<{ parsed: ParsedMail; mail: InboundMail }> {
  const parsed = await simpleParser(readCorpusFile(subfolder, name), INTAKE_PARSER_OPTIONS);
  return { parsed, mail: toInboundMail(parsed) };
}
