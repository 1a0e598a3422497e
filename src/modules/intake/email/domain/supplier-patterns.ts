import { SupplierReferencePattern } from './thread-mail';

/**
 * Parses INTAKE_SUPPLIER_PATTERNS: a JSON array of `{ "supplier": code, "pattern": RegExp source,
 * "domains": ["vmb.example", ...] }`. Returns the patterns, or a message naming what is wrong (for the
 * boot-time config check). '' means none.
 */
export function parseSupplierPatterns(
  json: string,
): { ok: true; patterns: SupplierReferencePattern[] } | { ok: false; message: string } {
  if (json.trim() === '') return { ok: true, patterns: [] };
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, message: 'must be a JSON array of {supplier, pattern, domains}' };
  }
  if (!Array.isArray(value))
    return { ok: false, message: 'must be a JSON array of {supplier, pattern, domains}' };
  const patterns: SupplierReferencePattern[] = [];
  for (const [i, entry] of value.entries()) {
    const e = entry as { supplier?: unknown; pattern?: unknown; domains?: unknown };
    if (typeof e !== 'object' || e === null || typeof e.supplier !== 'string' || e.supplier.trim() === '') {
      return { ok: false, message: `entry ${i}: "supplier" must be a supplier code` };
    }
    if (typeof e.pattern !== 'string' || e.pattern.trim() === '') {
      return { ok: false, message: `entry ${i}: "pattern" must be a regular expression` };
    }
    try {
      new RegExp(e.pattern, 'gi');
    } catch {
      return { ok: false, message: `entry ${i}: "pattern" is not a valid regular expression` };
    }
    if (
      !Array.isArray(e.domains) ||
      e.domains.length === 0 ||
      !e.domains.every((d) => typeof d === 'string' && d.includes('.'))
    ) {
      return { ok: false, message: `entry ${i}: "domains" must be a non-empty list of mail domains` };
    }
    patterns.push({
      supplierCode: e.supplier.trim(),
      pattern: e.pattern,
      senderDomains: e.domains as string[],
    });
  }
  return { ok: true, patterns };
}

/** A supplier as the desk stores it: its own reference pattern (null: none set) and the addresses it mails from. */
export interface SupplierOnRecord {
  supplierCode: string;
  pattern: string | null;
  addresses: readonly string[];
}

/**
 * The patterns intake threads a supplier's mail by. Each supplier's stored pattern wins; one with none stored falls
 * back to INTAKE_SUPPLIER_PATTERNS' entry for its code (the configured default). Mail counts as the supplier's from
 * the configured domains and the domains of its own addresses. A configured entry for a code with no supplier on
 * record stays as configured.
 */
export function supplierPatternsFor(
  stored: readonly SupplierOnRecord[],
  configured: readonly SupplierReferencePattern[],
): SupplierReferencePattern[] {
  const key = (code: string): string => code.trim().toLowerCase();
  const byCode = new Map(configured.map((c) => [key(c.supplierCode), c]));
  const patterns: SupplierReferencePattern[] = [];
  for (const s of stored) {
    const fallback = byCode.get(key(s.supplierCode));
    byCode.delete(key(s.supplierCode));
    const pattern = s.pattern?.trim() ? s.pattern : fallback?.pattern;
    if (!pattern) continue;
    const domains = new Set((fallback?.senderDomains ?? []).map((d) => d.toLowerCase()));
    for (const address of s.addresses) {
      const at = address.lastIndexOf('@');
      if (at > 0 && address.includes('.', at)) domains.add(address.slice(at + 1).toLowerCase());
    }
    if (domains.size > 0)
      patterns.push({ supplierCode: s.supplierCode, pattern, senderDomains: [...domains] });
  }
  return [...patterns, ...byCode.values()];
}
