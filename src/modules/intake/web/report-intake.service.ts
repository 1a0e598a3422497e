import { Injectable, Logger } from '@nestjs/common';
import { DomainError } from '../../../common/errors/domain-error';
import { AttachmentsService, formatBytes } from '../../attachments/attachments.service';
import type { Actor } from '../../audit/actor';
import { CatalogueService } from '../../directory/catalogue.service';
import { IncidentsService } from '../../incidents/incidents.service';
import {
  REPORT_FIELDS,
  validateReportForm,
  type FieldError,
  type ReportFormValues,
} from './domain/report-form';
import { rateLimited } from './report-page.errors';
import { ReportFormPage } from './report-form.page';
import { ReportRateLimiter } from './report-rate-limiter';
import { ReportUploadReader, type ReadUpload } from './report-upload.reader';
import { errorText } from '../../../common/errors/error-text';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Clock } from '../../../common/time/clock';
import { incidentReferences } from '../../incidents/facts/incident-facts';
import { StatusLinkService } from '../../incidents/status-link.service';
import { FormAlreadySent, ReportSubmissions } from './report-submissions';

export type SubmitOutcome =
  | { kind: 'invalid'; status: 400 | 413 | 422; errors: FieldError[] }
  | { kind: 'created'; reference: string; token: string; attachment: 'none' | 'stored' | 'failed' };

/**
 * A report from the public form, checked in full before anything is written: the fields, the site and service
 * against the directory, the attachment's size, then the hourly limits; only then is the incident created
 * (IncidentsService queues the acknowledgement in the same transaction) and the attachment added to it.
 */
@Injectable()
export class ReportIntakeService {
  private readonly logger = new Logger(ReportIntakeService.name);

  constructor(
    private readonly incidents: IncidentsService,
    private readonly attachments: AttachmentsService,
    private readonly catalogue: CatalogueService,
    private readonly formPage: ReportFormPage,
    private readonly limiter: ReportRateLimiter,
    private readonly uploads: ReportUploadReader,
    private readonly submissions: ReportSubmissions,
    private readonly statusLinks: StatusLinkService,
    private readonly clock: Clock,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  /** The outcome of a form sent before: the thanks page of the incident it created. */
  private async sentBefore(incidentId: string): Promise<SubmitOutcome> {
    const reference = (await incidentReferences(this.db.manager, [incidentId])).get(incidentId) ?? '';
    this.logger.log(
      { incidentId, reference },
      'Web report form sent again; answered with its first incident',
    );
    return {
      kind: 'created',
      reference,
      token: this.statusLinks.token(incidentId, this.clock.now()),
      attachment: 'none',
    };
  }

  /**
   * `formToken` is the form's CSRF token (already verified), which identifies this rendered form: sent again, it
   * answers with the first send's thanks page and creates nothing.
   */
  async submit(
    values: ReportFormValues,
    upload: ReadUpload,
    clientIp: string,
    formToken: string,
  ): Promise<SubmitOutcome> {
    const checked = validateReportForm(values);
    const errors: FieldError[] = [...checked.errors];
    // Codes that are well formed are looked up even when other fields are wrong, so every problem shows at once.
    const code = (field: 'site' | 'service' | 'trust'): string | null =>
      errors.some((e) => e.field === field) ? null : values[field].trim() || null;
    errors.push(...(await this.directoryErrors(code('site'), code('service'), code('trust'))));
    switch (upload.problem) {
      case 'too_large':
        errors.push({
          field: 'attachment',
          message: `The file must be smaller than ${formatBytes(this.uploads.maxBytes)}`,
        });
        break;
      case 'empty':
        errors.push({ field: 'attachment', message: 'The file you chose is empty' });
        break;
      case 'refused':
        errors.push({ field: 'attachment', message: 'Attach one file at most' });
        break;
      case null:
        break;
    }
    if (errors.length > 0 || !checked.report) {
      const status =
        upload.problem === 'too_large' ? 413 : errors.every((e) => e.unknownReference) ? 422 : 400;
      return { kind: 'invalid', status, errors: sortErrors(errors) };
    }
    const report = checked.report;

    // The same form again (a double click, the back button): the first send's thanks page, nothing new, no limit.
    const formKey = this.submissions.keyOf(formToken);
    const earlier = await this.submissions.incidentOf(formKey);
    if (earlier) return this.sentBefore(earlier);

    const byAddress = await this.limiter.hit('report-ip', clientIp);
    if (!byAddress.allowed) throw rateLimited('address', byAddress.retryAfterSeconds);
    const byEmail = await this.limiter.hit('report-email', report.email);
    if (!byEmail.allowed) throw rateLimited('email', byEmail.retryAfterSeconds);

    const actor: Actor = {
      kind: 'reporter',
      name: report.name,
      email: report.email.toLowerCase(),
      contactId: null,
    };
    let created;
    try {
      created = await this.incidents.create(
        {
          channel: 'web',
          siteCode: report.siteCode,
          serviceCode: report.serviceCode,
          impact: report.impact,
          urgency: report.urgency,
          summary: report.summary,
          description: report.description,
          reporter: { name: report.name, email: report.email, phone: report.phone },
        },
        actor,
        { inStatement: (incident, firstParam) => this.submissions.guard(formKey, incident.id, firstParam) },
      );
    } catch (err) {
      // A send of the same form won the race: it has the incident.
      if (err instanceof FormAlreadySent) {
        const first = await this.submissions.incidentOf(formKey);
        if (first) return this.sentBefore(first);
      }
      // The site or service went away between the check and the insert.
      if (err instanceof DomainError && err.code === 'DIRECTORY.UNKNOWN_REFERENCE') {
        const field = err.details.field === 'service' ? 'service' : 'site';
        return {
          kind: 'invalid',
          status: 422,
          errors: [{ field, message: `Choose a ${field} from the list`, unknownReference: true }],
        };
      }
      throw err;
    }
    const token = created.statusUrl.slice(created.statusUrl.lastIndexOf('/') + 1);
    let attachment: 'none' | 'stored' | 'failed' = 'none';
    if (upload.file) {
      try {
        await this.attachments.add(created.id, upload.file, actor);
        attachment = 'stored';
      } catch (err) {
        // The incident stands (the reporter has its reference and acknowledgement); say the file did not arrive.
        this.logger.error(
          { incidentId: created.id, err: errorText(err) },
          'Web report attachment not stored',
        );
        attachment = 'failed';
      }
    }
    this.logger.log(
      { incidentId: created.id, reference: created.incident.reference, attachment },
      'Web report accepted',
    );
    return { kind: 'created', reference: created.incident.reference, token, attachment };
  }

  /** The site and service must be active directory entries, and the site in the chosen trust. */
  private async directoryErrors(
    siteCode: string | null,
    serviceCode: string | null,
    trust: string | null,
  ): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const knownTrust = trust === null || (await this.catalogue.listTrusts()).some((t) => t.code === trust);
    if (!knownTrust)
      errors.push({ field: 'trust', message: 'Choose a trust from the list', unknownReference: true });
    if (siteCode !== null) {
      const site = await this.formPage.findSite(siteCode);
      if (!site?.active) {
        errors.push({ field: 'site', message: 'Choose a site from the list', unknownReference: true });
      } else if (trust !== null && knownTrust && site.trust.code !== trust) {
        errors.push({
          field: 'site',
          message: `${site.name} is not in the trust you chose: choose a site in that trust, or change the trust`,
        });
      }
    }
    if (serviceCode !== null) {
      const service = await this.findService(serviceCode);
      if (!service?.active)
        errors.push({ field: 'service', message: 'Choose a service from the list', unknownReference: true });
    }
    return errors;
  }

  private async findService(code: string): Promise<{ active: boolean } | null> {
    try {
      return await this.catalogue.getService(code);
    } catch (err) {
      if (err instanceof DomainError && err.code === 'DIRECTORY.NOT_FOUND') return null;
      throw err;
    }
  }
}

const sortErrors = (errors: FieldError[]): FieldError[] =>
  [...errors].sort((a, b) => REPORT_FIELDS.indexOf(a.field) - REPORT_FIELDS.indexOf(b.field));
