import type { EntityManager } from 'typeorm';
import { DomainError } from '../../../common/errors/domain-error';
import { unknownReference } from '../../directory/directory-errors';
import { Service } from '../../directory/service.entity';
import { Site } from '../../directory/site.entity';

/** Looks up the named site (with its trust) and service; an unknown one is a 422 naming every such field. */
export async function resolveSiteAndService(
  em: EntityManager,
  siteCode: string | null,
  serviceCode: string | null,
): Promise<{ site: Site | null; service: Service | null }> {
  const [site, service] = await Promise.all([
    siteCode === null
      ? null
      : em.getRepository(Site).findOne({ where: { code: siteCode }, relations: { trust: true } }),
    serviceCode === null ? null : em.getRepository(Service).findOneBy({ code: serviceCode }),
  ]);
  const unknown = [
    ...(siteCode !== null && !site ? [{ field: 'siteCode', value: siteCode }] : []),
    ...(serviceCode !== null && !service ? [{ field: 'service', value: serviceCode }] : []),
  ];
  if (unknown.length === 1) throw unknownReference(unknown[0].field, unknown[0].value);
  if (unknown.length > 1) {
    throw new DomainError(
      'DIRECTORY.UNKNOWN_REFERENCE',
      unknown.map((u) => `${u.field}: nothing with code ${JSON.stringify(u.value)}`).join('; '),
      { field: unknown[0].field, fields: unknown },
    );
  }
  return { site, service };
}

/** The create lookup found no row for this item: the error saying which code is unknown. */
export async function unknownSiteOrService(
  em: EntityManager,
  input: { siteCode: string; serviceCode: string },
): Promise<unknown> {
  try {
    await resolveSiteAndService(em, input.siteCode, input.serviceCode);
    return new Error('the create lookup found no row although the site and service exist');
  } catch (err) {
    return err;
  }
}
