import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { bounceDetails } from './bounce-details';
import { classifyMail } from './classify-mail';
import {
  CORPUS_CLASSIFY_CONTEXT,
  CORPUS_EXPECTATIONS,
  CORPUS_FOLDERS,
  CorpusExpectation,
} from './corpus-expectations';
import { dedupeKey } from './normalise-message-id';
import { corpusFiles, parseCorpusMail } from './mail-corpus.testing';
import { bounceParts } from './to-inbound-mail';

const folders = CORPUS_FOLDERS;
const expectationFor = (folder: string, file: string): CorpusExpectation | undefined =>
  CORPUS_EXPECTATIONS.find((e) => e.folder === folder && e.file === file);

describe('every corpus .eml through simpleParser → toInboundMail → classifyMail', () => {
  it('has an expectation for every .eml file, and no stale ones', () => {
    const onDisk = folders.flatMap((folder) =>
      corpusFiles(folder, '.eml').map((file) => `${folder}/${file}`),
    );
    expect(onDisk.sort()).toEqual(CORPUS_EXPECTATIONS.map((e) => `${e.folder}/${e.file}`).sort());
  });

  const all = folders.flatMap((folder) => corpusFiles(folder, '.eml').map((file) => [folder, file] as const));

  it.each(all)('%s/%s', async (folder, file) => {
    const expected = expectationFor(folder, file);
    if (expected === undefined) throw new Error(`no expectation for ${folder}/${file}`);
    const { parsed, mail } = await parseCorpusMail(folder, file);

    expect(classifyMail(mail, CORPUS_CLASSIFY_CONTEXT)).toEqual({
      kind: expected.kind,
      reason: expected.reason,
      outOfOffice: expected.outOfOffice,
    });
    expect(dedupeKey(mail).kind).toBe(expected.dedupe);
    if (expected.kind === 'bounce') {
      expect(bounceDetails(mail, bounceParts(parsed)).failedRecipients).toEqual(expected.failedRecipients);
    }
  });

  it('the two byte-identical "mixed" files get the same dedupe key', async () => {
    const a = await parseCorpusMail('mailparser', 'mailparser-mixed.eml');
    const b = await parseCorpusMail('postal-mime', 'postal-mime-mixed.eml');
    expect(dedupeKey(a.mail)).toEqual(dedupeKey(b.mail));
  });

  it('CORPUS.md lists the same files, kinds, reasons and dedupe kinds as corpus-expectations.ts', () => {
    const rows = readFileSync(join(__dirname, 'CORPUS.md'), 'utf8')
      .split('\n')
      .filter((line) => folders.some((folder) => line.startsWith(`| ${folder}/`)))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    expect(rows.map(([, file, kind, reason, dedupe]) => ({ file, kind, reason, dedupe }))).toEqual(
      CORPUS_EXPECTATIONS.map((e) => ({
        file: `${e.folder}/${e.file}`,
        kind: e.kind,
        reason: e.reason,
        dedupe: e.dedupe,
      })),
    );
  });
});
