import { parse as parseMailbox } from 'smtp-address-parser';

/** A path command whose mailbox has a quoted-string local part, split for smtp-server's own parser. */
export type QuotedPath = { ok: true; localPart: string; domain: string; params: string } | { ok: false };

/**
 * `MAIL FROM:<"Some Name"@example.com> SIZE=100` is valid RFC 5321 (a Quoted-string local part, §4.1.2), but
 * smtp-server splits the command on white space and on `@` before it looks at the quotes, so it answers 501.
 * This reads such a command: the optional source route is dropped (RFC 5321 §4.1.2, appendix C), the quoted
 * string is read with its backslash escapes, and the mailbox is checked against the RFC 5321 grammar by
 * smtp-address-parser. Null when the path has no quoted local part (smtp-server's parser handles those), or the
 * line is not this verb; `{ok: false}` when it has one that is not valid.
 */
export function quotedPathCommand(verb: 'MAIL FROM' | 'RCPT TO', line: string): QuotedPath | null {
  const head = new RegExp(`^\\s*${verb.replace(' ', '\\s+')}\\s*:\\s*<`, 'i').exec(line);
  if (!head) return null;
  let rest = line.slice(head[0].length);
  const route = /^@[^\s,:@<>"]+(?:,@[^\s,:@<>"]+)*:/.exec(rest);
  if (route) rest = rest.slice(route[0].length);
  if (!rest.startsWith('"')) return null;

  let i = 1;
  for (; i < rest.length; i++) {
    const c = rest[i];
    if (c === '\\') i++;
    else if (c === '"') break;
  }
  if (i >= rest.length) return { ok: false };
  const localPart = rest.slice(0, i + 1);
  const after = rest.slice(i + 1);
  const tail = /^@([^\s<>]+)>(?:\s+(.*?))?\s*$/.exec(after);
  if (!tail) return { ok: false };
  const domain = tail[1] ?? '';
  try {
    parseMailbox(`${localPart}@${domain}`);
  } catch {
    return { ok: false };
  }
  return { ok: true, localPart, domain, params: tail[2] ?? '' };
}

/** The local part as it is compared and stored: unquoted when it is a plain dot-atom (`"desk"` is `desk`). */
export function canonicalLocalPart(quoted: string): string {
  const inner = quoted.slice(1, -1).replace(/\\(.)/g, '$1');
  return /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/.test(inner)
    ? inner
    : quoted;
}
