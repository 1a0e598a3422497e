import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import {
  DEMO_CONTACTS,
  DEMO_SERVICES,
  DEMO_SITE_CLASSES,
  DEMO_SITES,
  DEMO_SUPPLIERS,
  DEMO_TRUSTS,
  type SiteClassCode,
} from './demo-directory';

const ALL_CLASSES: readonly SiteClassCode[] = [
  'hospital',
  'community_health',
  'mental_health',
  'prison',
  'other',
];

/** Ofcom numbers reserved for drama: mobiles 07700 900000–900999, landlines 01632 960000–960999 (E.164). */
const DRAMA_PHONE = /^\+44(7700900|1632960)\d{3}$/;

function duplicates(values: readonly string[]): string[] {
  const seen = new Set<string>();
  return values.filter((v) => (seen.has(v) ? true : (seen.add(v), false)));
}

describe('demo directory', () => {
  describe('site classes', () => {
    it('has exactly one entry per site class code', () => {
      expect(DEMO_SITE_CLASSES.map((c) => c.code).sort()).toEqual([...ALL_CLASSES].sort());
    });

    it.each<[SiteClassCode, string]>([
      ['hospital', '24x7'],
      ['community_health', 'gp_core'],
      ['mental_health', '24x7'],
      ['prison', '24x7'],
      ['other', 'office'],
    ])('%s uses the %s calendar', (code, calendar) => {
      expect(DEMO_SITE_CLASSES.find((c) => c.code === code)?.calendarCode).toBe(calendar);
    });

    it('prisons carry escorted-visit access notes', () => {
      expect(DEMO_SITE_CLASSES.find((c) => c.code === 'prison')?.accessNotes).toMatch(/escorted/i);
    });
  });

  describe('trusts', () => {
    it('has 8 trusts, 2 of them assumed acute trusts', () => {
      expect(DEMO_TRUSTS).toHaveLength(8);
      const assumed = DEMO_TRUSTS.filter((t) => t.assumed);
      expect(assumed).toHaveLength(2);
      expect(assumed.every((t) => t.kind === 'acute_trust')).toBe(true);
    });

    it('names the known members', () => {
      expect(DEMO_TRUSTS.filter((t) => !t.assumed).map((t) => t.name)).toEqual([
        'Lancashire Care NHS Foundation Trust',
        'NHS Blackburn with Darwen',
        'NHS Blackpool',
        'NHS Central Lancashire',
        'NHS East Lancashire',
        'NHS North Lancashire',
      ]);
      expect(DEMO_TRUSTS.filter((t) => t.kind === 'pct')).toHaveLength(5);
    });

    it('has unique codes and names', () => {
      expect(duplicates(DEMO_TRUSTS.map((t) => t.code))).toEqual([]);
      expect(duplicates(DEMO_TRUSTS.map((t) => t.name))).toEqual([]);
    });

    it('maps each sender domain to at most one trust, never the shared nhs.net', () => {
      const domains = DEMO_TRUSTS.flatMap((t) => t.emailDomains);
      expect(duplicates(domains)).toEqual([]);
      for (const t of DEMO_TRUSTS) expect(t.emailDomains.length).toBeGreaterThan(0);
      for (const d of domains) {
        expect(d).toBe(d.toLowerCase());
        expect(d).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)*\.nhs\.uk$/);
      }
      expect(domains).not.toContain('nhs.net');
    });
  });

  describe('sites', () => {
    it('matches the published breakdown 11/85/33/3/37 = 169', () => {
      const counts = Object.fromEntries(
        ALL_CLASSES.map((c) => [c, DEMO_SITES.filter((s) => s.class === c).length]),
      );
      expect(counts).toEqual({ hospital: 11, community_health: 85, mental_health: 33, prison: 3, other: 37 });
      expect(DEMO_SITES).toHaveLength(169);
    });

    it('has unique 4-digit codes and unique names', () => {
      for (const s of DEMO_SITES) expect(s.code).toMatch(/^\d{4}$/);
      expect(duplicates(DEMO_SITES.map((s) => s.code))).toEqual([]);
      expect(duplicates(DEMO_SITES.map((s) => s.name.toLowerCase()))).toEqual([]);
    });

    it('numbers each class in its own range (1xxx hospital … 5xxx other)', () => {
      const prefix: Record<SiteClassCode, string> = {
        hospital: '1',
        community_health: '2',
        mental_health: '3',
        prison: '4',
        other: '5',
      };
      for (const s of DEMO_SITES) expect([s.code, s.code[0]]).toEqual([s.code, prefix[s.class]]);
    });

    it('points every site at an existing trust, and every trust has a site', () => {
      const trustCodes = new Set(DEMO_TRUSTS.map((t) => t.code));
      expect(DEMO_SITES.filter((s) => !trustCodes.has(s.trustCode))).toEqual([]);
      const used = new Set(DEMO_SITES.map((s) => s.trustCode));
      expect(DEMO_TRUSTS.filter((t) => !used.has(t.code))).toEqual([]);
    });

    it('gives every site a town and non-blank name', () => {
      for (const s of DEMO_SITES) {
        expect(s.name.trim()).toBe(s.name);
        expect(s.name.length).toBeGreaterThan(0);
        expect(s.town.trim().length).toBeGreaterThan(0);
      }
    });

    it('places mental health sites mostly with Lancashire Care', () => {
      const mh = DEMO_SITES.filter((s) => s.class === 'mental_health');
      expect(mh.filter((s) => s.trustCode === 'LCFT').length).toBeGreaterThan(mh.length / 2);
    });

    it('has three Lancashire prisons, each with access notes', () => {
      const prisons = DEMO_SITES.filter((s) => s.class === 'prison');
      const known = ['HMP Garth', 'HMP Kirkham', 'HMP Lancaster Farms', 'HMP Preston', 'HMP Wymott'];
      for (const p of prisons) {
        expect(known.some((k) => p.name.startsWith(`${k} `) || p.name === k)).toBe(true);
        expect(p.accessNotes).toMatch(/escorted/i);
      }
    });
  });

  describe('suppliers and services', () => {
    it('has unique supplier codes on reserved .example domains', () => {
      expect(duplicates(DEMO_SUPPLIERS.map((s) => s.code))).toEqual([]);
      for (const s of DEMO_SUPPLIERS) expect(s.email).toMatch(/^[^@\s]+@[a-z0-9.-]+\.example$/);
      expect(DEMO_SUPPLIERS.map((s) => s.code).sort()).toEqual(['imerja', 'vmb']);
    });

    it('lists the catalogue by phase', () => {
      const byPhase = (p: 1 | 2) =>
        DEMO_SERVICES.filter((s) => s.phase === p)
          .map((s) => s.code)
          .sort();
      expect(byPhase(1)).toEqual(['lan', 'mobile', 'remote_access', 'voice', 'wan', 'wireless']);
      expect(byPhase(2)).toEqual(['business_continuity', 'videoconferencing']);
      expect(duplicates(DEMO_SERVICES.map((s) => s.name))).toEqual([]);
    });

    it('gives every service an existing default supplier', () => {
      const suppliers = new Set(DEMO_SUPPLIERS.map((s) => s.code));
      expect(DEMO_SERVICES.filter((s) => !suppliers.has(s.defaultSupplierCode))).toEqual([]);
    });
  });

  describe('contacts', () => {
    it('has 6 to 10 contacts with unique emails', () => {
      expect(DEMO_CONTACTS.length).toBeGreaterThanOrEqual(6);
      expect(DEMO_CONTACTS.length).toBeLessThanOrEqual(10);
      expect(duplicates(DEMO_CONTACTS.map((c) => c.email.toLowerCase()))).toEqual([]);
    });

    it('uses only Ofcom drama-range phone numbers in E.164', () => {
      for (const c of DEMO_CONTACTS) expect(c.phone).toMatch(DRAMA_PHONE);
    });

    it('points every contact at an existing trust and a site of that trust, on a trust domain', () => {
      for (const c of DEMO_CONTACTS) {
        const trust = DEMO_TRUSTS.find((t) => t.code === c.trustCode);
        const site = DEMO_SITES.find((s) => s.code === c.siteCode);
        expect(trust).toBeDefined();
        expect(site?.trustCode).toBe(c.trustCode);
        expect(trust?.emailDomains).toContain(c.email.split('@')[1]);
      }
    });
  });

  it('is pure data: imports nothing', () => {
    const source = readFileSync(join(__dirname, 'demo-directory.ts'), 'utf8');
    expect(source).not.toMatch(/^\s*import\s/m);
    expect(source).not.toMatch(/\brequire\(|process\.env|new Date\(/);
  });

  it('is frozen so a caller cannot alter the shared data', () => {
    expect(Object.isFrozen(DEMO_SITES)).toBe(true);
    expect(Object.isFrozen(DEMO_SITES[0])).toBe(true);
    expect(Object.isFrozen(DEMO_TRUSTS)).toBe(true);
  });
});
