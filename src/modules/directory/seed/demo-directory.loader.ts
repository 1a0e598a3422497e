import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';
import { Contact } from '../contact.entity';
import { Service } from '../service.entity';
import { SiteClass } from '../site-class.entity';
import { Site } from '../site.entity';
import { Supplier } from '../supplier.entity';
import { Trust } from '../trust.entity';
import {
  DEMO_CONTACTS,
  DEMO_SERVICES,
  DEMO_SITE_CLASSES,
  DEMO_SITES,
  DEMO_SUPPLIERS,
  DEMO_TRUSTS,
} from './demo-directory';

export interface SeedCounts {
  siteClasses: number;
  trusts: number;
  suppliers: number;
  services: number;
  sites: number;
  contacts: number;
}

/**
 * Loads the demo directory in one transaction. Every insert is ON CONFLICT DO NOTHING on the natural key, so
 * loading twice (or over a partly loaded directory) adds only what is missing and changes nothing else.
 * Returns how many rows of each kind were added.
 */
export async function loadDemoDirectory(em: EntityManager): Promise<SeedCounts> {
  return em.transaction(async (tx) => {
    const insert = async (target: EntityTarget<ObjectLiteral>, rows: ObjectLiteral[]): Promise<number> => {
      if (rows.length === 0) return 0;
      const result = await tx
        .createQueryBuilder()
        .insert()
        .into(target)
        .values(rows)
        .orIgnore()
        .returning('1 AS added')
        .execute();
      return (result.raw as unknown[]).length;
    };
    const idsByCode = async (
      entity: typeof Trust | typeof Supplier | typeof Site,
    ): Promise<Map<string, string>> => {
      const rows = await tx.getRepository(entity).find({ select: { id: true, code: true } });
      return new Map(rows.map((r) => [r.code, r.id]));
    };

    const siteClasses = await insert(
      SiteClass,
      DEMO_SITE_CLASSES.map((c) => ({ ...c })),
    );
    const trusts = await insert(
      Trust,
      DEMO_TRUSTS.map((t) => ({
        code: t.code,
        name: t.name,
        kind: t.kind,
        assumed: t.assumed,
        emailDomains: [...t.emailDomains],
      })),
    );
    const suppliers = await insert(
      Supplier,
      DEMO_SUPPLIERS.map((s) => ({ ...s })),
    );
    const supplierIds = await idsByCode(Supplier);
    const services = await insert(
      Service,
      DEMO_SERVICES.map((s) => ({
        code: s.code,
        name: s.name,
        description: s.description,
        defaultSupplierId: supplierIds.get(s.defaultSupplierCode) ?? null,
      })),
    );
    const trustIds = await idsByCode(Trust);
    const sites = await insert(
      Site,
      DEMO_SITES.map((s) => ({
        code: s.code,
        name: s.name,
        classCode: s.class,
        trustId: required(trustIds, s.trustCode, `trust of site ${s.code}`),
        town: s.town,
        accessNotes: s.accessNotes,
      })),
    );
    const siteIds = await idsByCode(Site);
    const contacts = await insert(
      Contact,
      DEMO_CONTACTS.map((c) => ({
        name: c.name,
        email: c.email.toLowerCase(),
        phone: c.phone,
        trustId: required(trustIds, c.trustCode, `trust of ${c.email}`),
        usualSiteId: required(siteIds, c.siteCode, `site of ${c.email}`),
        verified: true,
      })),
    );
    return { siteClasses, trusts, suppliers, services, sites, contacts };
  });
}

function required(ids: Map<string, string>, code: string, what: string): string {
  const id = ids.get(code);
  if (!id) throw new Error(`Demo directory is inconsistent: no ${what} (${code})`);
  return id;
}
