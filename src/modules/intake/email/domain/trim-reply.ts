export interface TrimmedReply {
  body: string;
  trimmed: boolean;
}

/** Verbs that end an attribution line ("… wrote:"), across languages. */
const ATTRIBUTION_ENDINGS = [
  /^(?:-+\s*)?On\s.+\swrote\s*:?\s*(?:-+)?$/, // English, Apple, Gmail, Zoho ("---- On … wrote ----")
  /^Le\s.+\sa\s+écrit\s*:?$/i, // French
  /^Am\s.+\sschrieb\s.*:$/, // German
  /^(?:In data|Il)\s.+\sha scritto\s*:?$/i, // Italian
  /^Em\s.+\sescreveu\s*:?$/, // Portuguese
  /^El\s.+\sescribió\s*:?$/, // Spanish
  /^Op\s.+\sschreef\s.*:$/, // Dutch
  /^.*\d.*\sskrev\s.*:$/, // Norwegian, Danish, Swedish ("… kl. 13:09 skrev Name <addr>:")
  /^.*\d.*\skirjoitti\s*:?$/, // Finnish
  /^.*\d.*\sírta\s*:?$/, // Hungarian
  /^.*\d.*\s(?:написал|написала|написал\(а\))\s*:?$/, // Russian with a verb
  /^W dniu\s.+\snapisał(?:\(a\))?\s*:?$/, // Polish
];

/** Gmail's verb-less form used in Russian and others: "<date with a time>, Name <addr>:". */
const ATTRIBUTION_NO_VERB = /^.*\d{1,2}[:.]\d{2}.*<\s*[^<>\s@]+@[^<>\s]+\s*>\s*:$/;

const ORIGINAL_MESSAGE_RULE = new RegExp(
  "^\\s*-{2,}\\s*(?:original message|ursprüngliche nachricht|message d'origine|message original|" +
    'messaggio originale|mensagem original|mensaje original|oorspronkelijk bericht|' +
    'alkuperäinen viesti|opprinnelig melding|oprindelig meddelelse|ursprungligt meddelande|' +
    'исходное сообщение|wiadomość oryginalna)\\s*-{2,}\\s*$',
  'i',
);

const FORWARD_MARKER =
  /^\s*(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré|messaggio inoltrato|mensagem encaminhada|mensaje reenviado|doorgestuurd bericht)\s*-*|begin forwarded message\s*:)\s*$/i;

const HEADER_FROM = /^\s*\*?(?:From|Von|De|Da|Van|Från|Fra|Lähettäjä|Od|От)\s*:\*?\s*\S/i;
const HEADER_OTHER =
  /^\s*\*?(?:Sent|Date|To|Subject|Cc|Gesendet|Datum|An|Betreff|Envoyé|À|Objet|Inviato|Data|Oggetto|Enviado|Para|Assunto|Asunto|Verzonden|Aan|Onderwerp|Skickat|Sendt|Emne|Till|Ämne|Lähetetty|Vastaanottaja|Aihe|Отправлено|Кому|Тема)\s*:/i;

const UNDERSCORE_RULE = /^\s*_{10,}\s*$/;

/** Lines that start a signature block (everything from here to the cut is dropped). */
const SIGNATURE_DELIMITER = /^(?:--|__|—|–)\s*$/;
const MOBILE_SIGNATURE = new RegExp(
  '^\\s*(?:' +
    [
      'sent from (?:my )?\\S.*',
      'sent with \\S.*',
      'sent via \\S.*',
      'get outlook for (?:ios|android)\\b.*',
      'envoyé (?:à partir de|de mon|depuis mon) .*',
      'von meinem .* gesendet\\.?',
      'gesendet von meinem .*',
      'enviado desde mi .*',
      'enviado do meu .*',
      'inviato da(?:l mio)? .*',
      'verzonden (?:vanaf|met) .*',
      'skickat från .*',
      'lähetetty .*',
      'отправлено с .*',
    ].join('|') +
    ')$',
  'i',
);

/** A signature longer than this many lines is more likely content than a signature. */
const MAX_SIGNATURE_LINES = 15;
const MAX_ATTRIBUTION_LINES = 4;

/**
 * Cuts the visible reply out of a plain-text email body: the quoted history below it (an "On … wrote:"
 * header in several languages, an `-----Original Message-----` separator, an Outlook
 * `From:`/`Sent:` block, a long underscore rule, `>` quotes) and the signature at its foot (`-- `,
 * `__`, a lone dash, "Sent from my iPhone", "Get Outlook for iOS" and similar).
 *
 * Deliberate choices, for a service desk where losing what a caller wrote is worse than keeping a quote:
 * - Forwarded messages are not cut: what someone forwards to the desk (an error notice, a supplier's
 *   mail) is usually the substance of the report.
 * - Interleaved (inline) replies — `>` quotes with answers between them — are kept whole.
 * - If cutting would leave nothing, the text is returned untouched (`trimmed: false`).
 */
export function trimReply(text: string): TrimmedReply {
  const normalised = text.replace(/\r\n?/g, '\n');
  const original = normalised.replace(/\s+$/, '');
  const lines = normalised.split('\n');

  const cut = quoteBoundary(lines);
  let kept = cut === null ? lines : lines.slice(0, cut);
  kept = stripSignature(kept);

  const body = kept.join('\n').replace(/\s+$/, '');
  if (body.trim() === '') return { body: original, trimmed: false };
  return { body, trimmed: body !== original };
}

/** Index of the first line of quoted history, or null when there is none (or it must not be cut). */
function quoteBoundary(lines: readonly string[]): number | null {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (FORWARD_MARKER.test(line)) return null;
    if (ORIGINAL_MESSAGE_RULE.test(line) || UNDERSCORE_RULE.test(line)) return i;
    if (isHeaderBlock(lines, i)) return i;
    const attribution = attributionStart(lines, i);
    if (attribution !== null) return attribution;
    if (/^\s*>/.test(line)) return isInterleaved(lines, i) ? null : i;
  }
  return null;
}

/**
 * When line `end` closes an attribution ("… wrote:"), the index of its first line. The attribution may be
 * wrapped over up to four lines; the shortest span that reads as one is taken, so the line of reply just
 * above it is kept.
 */
function attributionStart(lines: readonly string[], end: number): number | null {
  const last = lines[end] ?? '';
  // A wrapped address can leave its closing bracket on a line of its own (">:"), which looks like a quote.
  const wrappedClose = /^\s*>\s*:\s*$/.test(last);
  if (last.trim() === '' || (/^\s*>/.test(last) && !wrappedClose)) return null;
  for (let start = end; start > end - MAX_ATTRIBUTION_LINES && start >= 0; start--) {
    const line = lines[start] ?? '';
    if (line.trim() === '' || (start !== end && /^\s*>/.test(line))) return null;
    const joined = lines
      .slice(start, end + 1)
      .map((l) => l.trim())
      .join(' ')
      .replace(/\s+/g, ' ')
      .replace(/\s+>/g, '>');
    if (ATTRIBUTION_ENDINGS.some((re) => re.test(joined)) || ATTRIBUTION_NO_VERB.test(joined)) return start;
  }
  return null;
}

/** An Outlook-style header block: a `From:` line followed within a few lines by `Sent:`/`To:`/`Subject:`. */
function isHeaderBlock(lines: readonly string[], i: number): boolean {
  if (!HEADER_FROM.test(lines[i] ?? '')) return false;
  return lines.slice(i + 1, i + 5).some((l) => HEADER_OTHER.test(l));
}

/** True when unquoted text (other than a signature) follows the quote block starting at `start`. */
function isInterleaved(lines: readonly string[], start: number): boolean {
  let i = start;
  while (i < lines.length && (/^\s*>/.test(lines[i] ?? '') || (lines[i] ?? '').trim() === '')) i++;
  const rest = stripSignature(lines.slice(i));
  return rest.some((l) => l.trim() !== '' && !/^\s*>/.test(l));
}

/**
 * Drops a signature: from a `-- `/`__`/dash delimiter when at most 15 lines follow it, or a mobile
 * "Sent from …" line when it is the last non-blank line (so "Sent from ward 5, the error is …" in the
 * middle of a message is kept).
 */
function stripSignature(lines: readonly string[]): string[] {
  let lastNonBlank = lines.length - 1;
  while (lastNonBlank >= 0 && (lines[lastNonBlank] ?? '').trim() === '') lastNonBlank--;
  for (let i = 0; i <= lastNonBlank; i++) {
    const line = lines[i] ?? '';
    if (SIGNATURE_DELIMITER.test(line) && lines.length - i <= MAX_SIGNATURE_LINES) return lines.slice(0, i);
  }
  if (lastNonBlank >= 0 && MOBILE_SIGNATURE.test(lines[lastNonBlank] ?? ''))
    return lines.slice(0, lastNonBlank);
  return [...lines];
}
