import { randomBytes, randomInt } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { Contact } from '../../src/modules/directory/contact.entity';
import { Service } from '../../src/modules/directory/service.entity';
import { SiteClass, type SiteClassCode } from '../../src/modules/directory/site-class.entity';
import { Site } from '../../src/modules/directory/site.entity';
import { Supplier } from '../../src/modules/directory/supplier.entity';
import { Trust } from '../../src/modules/directory/trust.entity';

/** Unique-enough tokens so every test makes its own rows in the shared test database. */
export const uniqueCode = (prefix = 'T'): string =>
  `${prefix}${randomBytes(5).toString('hex').toUpperCase()}`.slice(0, 16);
export const uniqueDigits = (n = 8): string => String(randomInt(10 ** (n - 1), 10 ** n));
export const uniqueEmail = (local = 'user'): string =>
  `${local}.${randomBytes(4).toString('hex')}@example.test`;

const CALENDAR: Record<SiteClassCode, string> = {
  hospital: '24x7',
  community_health: 'gp_core',
  mental_health: '24x7',
  prison: '24x7',
  other: 'office',
};

/** Site classes are fixed reference rows every site needs; create them if this database has none yet. */
export async function ensureSiteClasses(db: DataSource): Promise<void> {
  await db
    .createQueryBuilder()
    .insert()
    .into(SiteClass)
    .values(
      Object.entries(CALENDAR).map(([code, calendarCode]) => ({
        code: code as SiteClassCode,
        name: code,
        calendarCode,
        accessNotes: null,
      })),
    )
    .orIgnore()
    .execute();
}

export async function createTrust(db: DataSource, overrides: Partial<Trust> = {}): Promise<Trust> {
  const code = overrides.code ?? uniqueCode('T');
  return db
    .getRepository(Trust)
    .save({ code, name: `Trust ${code}`, kind: 'pct', assumed: false, emailDomains: [], ...overrides });
}

export async function createSite(db: DataSource, trust: Trust, overrides: Partial<Site> = {}): Promise<Site> {
  await ensureSiteClasses(db);
  const code = overrides.code ?? uniqueDigits(8);
  const site = await db.getRepository(Site).save({
    code,
    name: `Site ${code}`,
    classCode: 'community_health',
    trustId: trust.id,
    town: 'Preston',
    accessNotes: null,
    ...overrides,
  });
  site.trust = trust;
  return site;
}

export async function createSupplier(db: DataSource, overrides: Partial<Supplier> = {}): Promise<Supplier> {
  const code = overrides.code ?? uniqueCode('s').toLowerCase();
  return db
    .getRepository(Supplier)
    .save({ code, name: `Supplier ${code}`, email: `${code}@supplier.test`, role: 'network', ...overrides });
}

export async function createService(
  db: DataSource,
  supplier: Supplier | null,
  overrides: Partial<Service> = {},
): Promise<Service> {
  const code = overrides.code ?? uniqueCode('svc').toLowerCase();
  return db.getRepository(Service).save({
    code,
    name: `Service ${code}`,
    description: '',
    defaultSupplierId: supplier?.id ?? null,
    ...overrides,
  });
}

export async function createContact(
  db: DataSource,
  site: Site,
  overrides: Partial<Contact> = {},
): Promise<Contact> {
  return db.getRepository(Contact).save({
    name: 'Test Contact',
    email: uniqueEmail('contact'),
    phone: '+447700900123',
    trustId: site.trustId,
    usualSiteId: site.id,
    verified: true,
    ...overrides,
  });
}
