/**
 * Which catalogue service an email is about, from words in its subject (first) or body. Each service has a
 * few phrases clinicians actually write; the earliest match in the subject wins, then the earliest in the
 * body. Null when nothing matches (the caller uses the configured default).
 */
const SERVICE_WORDS: readonly (readonly [string, RegExp])[] = [
  ['wireless', /\b(?:wi-?fi|wireless|wlan|access points?|eduroam)\b/i],
  [
    'voice',
    /\b(?:phones?|telephon(?:e|es|y)|voicemail|switchboard|dial(?:ling)? tone|extensions?|desk phone)\b/i,
  ],
  [
    'remote_access',
    /\b(?:vpn|remote access|remote desktop|citrix|working from home|home working|rsa token)\b/i,
  ],
  ['mobile', /\b(?:mobile phones?|mobiles?|sim cards?|sim|smartphones?|[345]g signal|blackberr(?:y|ies))\b/i],
  ['videoconferencing', /\b(?:video ?conferenc(?:e|ing)|vc (?:unit|room|call)|video call)\b/i],
  [
    'wan',
    /\b(?:site (?:is )?down|no internet|internet (?:is )?down|broadband|wan|circuit|leased line|connectivity|n3)\b/i,
  ],
  ['lan', /\b(?:lan|network points?|switch(?:es)?|patch(?:ing)?|ethernet|network cables?|wired)\b/i],
];

export function serviceFromText(subject: string, body: string, known?: ReadonlySet<string>): string | null {
  for (const text of [subject, body.slice(0, 20_000)]) {
    let best: { code: string; index: number } | null = null;
    for (const [code, words] of SERVICE_WORDS) {
      if (known && !known.has(code)) continue;
      const match = words.exec(text);
      if (match && (best === null || match.index < best.index)) best = { code, index: match.index };
    }
    if (best) return best.code;
  }
  return null;
}
