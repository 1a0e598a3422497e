import { Injectable } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { formatBytes } from '../../attachments/attachments.service';
import { CatalogueService } from '../../directory/catalogue.service';
import type { SiteDto } from '../../directory/dto/site.dto';
import { SitesService } from '../../directory/sites.service';
import type { FieldError, ReportFormValues } from './domain/report-form';
import { formPageModel } from './report-form.view';
import { ReportUploadReader } from './report-upload.reader';
import { ReportViews } from './report-views';

const SITE_LIST_LIMIT = 500;

/**
 * The fault form page: the directory lists it offers (trusts, the sites matching the chosen trust and search
 * text, the active services) around what the reporter has entered so far.
 */
@Injectable()
export class ReportFormPage {
  constructor(
    private readonly sites: SitesService,
    private readonly catalogue: CatalogueService,
    private readonly views: ReportViews,
    private readonly uploads: ReportUploadReader,
  ) {}

  async render(
    values: ReportFormValues,
    errors: FieldError[],
    csrfToken: string,
    notice: string | null = null,
  ): Promise<string> {
    const trusts = await this.catalogue.listTrusts();
    const trust = trusts.find((t) => t.code === values.trust.trim()) ?? null;
    const q = values.q.trim().slice(0, 100);
    const page = await this.sites.list({ trust: trust?.code, q: q || undefined, limit: SITE_LIST_LIMIT });
    const sites: SiteDto[] = page.items.filter((s) => s.active);
    const selected = values.site.trim();
    if (selected && !sites.some((s) => s.code === selected)) {
      const kept = await this.findSite(selected);
      if (kept?.active) sites.unshift(kept);
    }
    const services = (await this.catalogue.listServices()).filter((s) => s.active);
    return this.views.render(
      'report-form',
      formPageModel({
        values,
        errors,
        csrfToken,
        trusts: trusts.map((t) => ({ code: t.code, name: t.name })),
        sites,
        search: trust || q ? { trustName: trust?.name ?? null, q } : null,
        truncated: page.nextCursor !== null,
        services: services.map((s) => ({ code: s.code, name: s.name, description: s.description })),
        attachmentLimit: formatBytes(this.uploads.maxBytes),
        notice,
      }),
    );
  }

  /** A site by code, or null when there is none. */
  async findSite(code: string): Promise<SiteDto | null> {
    try {
      return await this.sites.get(code);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'DIRECTORY.NOT_FOUND') return null;
      throw err;
    }
  }
}
