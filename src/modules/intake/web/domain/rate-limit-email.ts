/**
 * The address a per-email limit counts a report under: lower-cased, and without a `+tag` sub-address
 * (`name+anything@domain` is `name@domain`), so tagging one mailbox many ways does not multiply its allowance.
 * The local part ends at the last `@`; one that would be left empty keeps its tag.
 */
export function rateLimitEmail(email: string): string {
  const address = email.trim().toLowerCase();
  const at = address.lastIndexOf('@');
  if (at === -1) return address;
  const local = address.slice(0, at);
  const plus = local.indexOf('+', local.startsWith('"') ? local.lastIndexOf('"') : 0);
  if (plus <= 0) return address;
  return `${local.slice(0, plus)}${address.slice(at)}`;
}
