import { Injectable } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { AppConfig } from '../../../config/app-config';
import type { Upload } from '../../attachments/attachments.service';
import { readMultipartForm } from '../../attachments/multipart-form';
import { formIncomplete } from './report-page.errors';

export type UploadProblem = 'too_large' | 'empty' | 'refused';

export interface ReadUpload {
  /** The form's text fields, however it was sent (urlencoded, or multipart with the file). */
  fields: Record<string, string>;
  file: Upload | null;
  problem: UploadProblem | null;
}

/**
 * Reads the fault form with its optional `attachment`. A file over the per-file limit stops the read at once;
 * unlike the API's UploadInterceptor nothing is thrown, so the page can be shown again with the fields that
 * arrived before the file (the form puts the file last) and an error naming the limit.
 */
@Injectable()
export class ReportUploadReader {
  readonly maxBytes: number;

  constructor(config: AppConfig) {
    // A new incident's attachments are also capped in total; a single file must fit both caps.
    this.maxBytes = Math.min(config.env.ATTACHMENT_MAX_BYTES, config.env.INCIDENT_ATTACHMENTS_MAX_BYTES);
  }

  async read(req: FastifyRequest): Promise<ReadUpload> {
    const form = await readMultipartForm(req, {
      fileField: 'attachment',
      maxFileBytes: this.maxBytes,
      maxFields: 30,
      maxParts: 40,
    });
    // A form cut off on the way cannot be trusted for any field (its CSRF token may be missing): its own page.
    if (form.problem === 'malformed') throw formIncomplete();
    if (form.problem) return { fields: form.fields, file: null, problem: form.problem };
    // A browser sends an empty file part when no file was chosen: that is no file, not an empty one.
    if (!form.file || (form.file.size === 0 && form.file.originalname === ''))
      return { fields: form.fields, file: null, problem: null };
    if (form.file.size === 0) return { fields: form.fields, file: null, problem: 'empty' };
    return { fields: form.fields, file: form.file, problem: null };
  }
}
