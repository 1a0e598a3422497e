import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type {
  CreateServiceDto,
  CreateSupplierDto,
  ServiceDto,
  SiteClassDto,
  SupplierDto,
  UpdateServiceDto,
  UpdateSiteClassDto,
  UpdateSupplierDto,
} from './dto/catalogue.dto';
import type { CreateTrustDto, TrustDto, UpdateTrustDto } from './dto/trust.dto';
import { codeTaken, notFound, unknownReference } from './directory-errors';
import { Service } from './service.entity';
import { SiteClass } from './site-class.entity';
import { Supplier } from './supplier.entity';
import { Trust } from './trust.entity';

/** Trusts, suppliers, the service catalogue and site classes: small reference lists edited by admins. */
@Injectable()
export class CatalogueService {
  constructor(
    @InjectRepository(Trust) private readonly trusts: Repository<Trust>,
    @InjectRepository(Supplier) private readonly suppliers: Repository<Supplier>,
    @InjectRepository(Service) private readonly services: Repository<Service>,
    @InjectRepository(SiteClass) private readonly siteClasses: Repository<SiteClass>,
  ) {}

  async listTrusts(): Promise<TrustDto[]> {
    return (await this.trusts.find({ order: { code: 'ASC' } })).map(trustDto);
  }

  async createTrust(dto: CreateTrustDto): Promise<TrustDto> {
    const row = {
      ...dto,
      assumed: dto.assumed ?? false,
      emailDomains: (dto.emailDomains ?? []).map((d) => d.toLowerCase()),
    };
    if (!(await insertOrIgnore(this.trusts, row))) throw codeTaken('trust', dto.code);
    return this.getTrust(dto.code);
  }

  async updateTrust(code: string, dto: UpdateTrustDto): Promise<TrustDto> {
    const trust = await this.trusts.findOneBy({ code });
    if (!trust) throw notFound('trust', code);
    Object.assign(
      trust,
      dto,
      dto.emailDomains ? { emailDomains: dto.emailDomains.map((d) => d.toLowerCase()) } : {},
    );
    return trustDto(await this.trusts.save(trust));
  }

  async getTrust(code: string): Promise<TrustDto> {
    const trust = await this.trusts.findOneBy({ code });
    if (!trust) throw notFound('trust', code);
    return trustDto(trust);
  }

  /** A trust's id and code by either (for other modules that scope by trust), or null when there is none. */
  async trustRef(where: { code: string } | { id: string }): Promise<{ id: string; code: string } | null> {
    const trust = await this.trusts.findOne({ where, select: { id: true, code: true } });
    return trust ? { id: trust.id, code: trust.code } : null;
  }

  async listSuppliers(): Promise<SupplierDto[]> {
    return (await this.suppliers.find({ order: { code: 'ASC' } })).map(supplierDto);
  }

  async createSupplier(dto: CreateSupplierDto): Promise<SupplierDto> {
    if (!(await insertOrIgnore(this.suppliers, { ...dto, role: dto.role ?? '' })))
      throw codeTaken('supplier', dto.code);
    return supplierDto(await this.suppliers.findOneByOrFail({ code: dto.code }));
  }

  async updateSupplier(code: string, dto: UpdateSupplierDto): Promise<SupplierDto> {
    const supplier = await this.suppliers.findOneBy({ code });
    if (!supplier) throw notFound('supplier', code);
    return supplierDto(await this.suppliers.save(Object.assign(supplier, dto)));
  }

  async listServices(): Promise<ServiceDto[]> {
    const rows = await this.services.find({ relations: { defaultSupplier: true }, order: { code: 'ASC' } });
    return rows.map(serviceDto);
  }

  async createService(dto: CreateServiceDto): Promise<ServiceDto> {
    const defaultSupplierId = await this.supplierIdFor(dto.defaultSupplierCode);
    const { defaultSupplierCode: _ignored, ...rest } = dto;
    if (
      !(await insertOrIgnore(this.services, {
        ...rest,
        description: dto.description ?? '',
        defaultSupplierId,
      }))
    ) {
      throw codeTaken('service', dto.code);
    }
    return this.getService(dto.code);
  }

  async updateService(code: string, dto: UpdateServiceDto): Promise<ServiceDto> {
    const service = await this.services.findOneBy({ code });
    if (!service) throw notFound('service', code);
    const { defaultSupplierCode, ...rest } = dto;
    Object.assign(service, rest);
    if (defaultSupplierCode !== undefined)
      service.defaultSupplierId = await this.supplierIdFor(defaultSupplierCode);
    await this.services.save(service);
    return this.getService(code);
  }

  async getService(code: string): Promise<ServiceDto> {
    const service = await this.services.findOne({ where: { code }, relations: { defaultSupplier: true } });
    if (!service) throw notFound('service', code);
    return serviceDto(service);
  }

  async listSiteClasses(): Promise<SiteClassDto[]> {
    return this.siteClasses.find({ order: { code: 'ASC' } });
  }

  async updateSiteClass(code: string, dto: UpdateSiteClassDto): Promise<SiteClassDto> {
    const siteClass = await this.siteClasses.findOneBy({ code: code as SiteClass['code'] });
    if (!siteClass) throw notFound('site class', code);
    return this.siteClasses.save(Object.assign(siteClass, dto));
  }

  private async supplierIdFor(code: string | undefined): Promise<string | null> {
    if (!code) return null;
    const supplier = await this.suppliers.findOneBy({ code });
    if (!supplier) throw unknownReference('defaultSupplierCode', code);
    return supplier.id;
  }
}

/** INSERT ... ON CONFLICT DO NOTHING; false when the unique code was already there. */
async function insertOrIgnore<T extends object>(repo: Repository<T>, values: object): Promise<boolean> {
  const result = await repo.createQueryBuilder().insert().values(values).orIgnore().returning('id').execute();
  return (result.raw as unknown[]).length > 0;
}

const trustDto = (t: Trust): TrustDto => ({
  code: t.code,
  name: t.name,
  kind: t.kind,
  assumed: t.assumed,
  emailDomains: t.emailDomains,
});

const supplierDto = (s: Supplier): SupplierDto => ({
  code: s.code,
  name: s.name,
  email: s.email,
  role: s.role,
  webhookUrl: s.webhookUrl,
  webhookSecretSet: s.webhookSecret !== null && s.webhookSecret !== '',
  escalationEmail: s.escalationEmail,
  referencePattern: s.referencePattern,
});

const serviceDto = (s: Service): ServiceDto => ({
  code: s.code,
  name: s.name,
  description: s.description,
  defaultSupplier: s.defaultSupplier?.code ?? null,
  active: s.active,
});
