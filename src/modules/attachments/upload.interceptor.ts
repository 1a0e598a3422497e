import {
  createParamDecorator,
  Injectable,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import type { Observable } from 'rxjs';
import { DomainError } from '../../common/errors/domain-error';
import { scanInput } from '../../common/http/text-input';
import { validationFailed } from '../../common/http/validation';
import { AppConfig } from '../../config/app-config';
import { formatBytes } from './attachments.service';
import { readMultipartForm, type MultipartForm } from './multipart-form';

type WithUpload = FastifyRequest & { upload?: MultipartForm };

/**
 * Reads the multipart body of an upload route (one file field, `file`, and a few text fields) into memory,
 * refusing the file as soon as it passes the per-file limit: 413 with the limit in the message, before the rest
 * is read. A body cut off or not valid multipart is 400 `REQUEST.MALFORMED`; its text fields follow the API's text
 * rule (text-input.ts). The handler takes what was read with `@UploadedForm()`.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  constructor(private readonly config: AppConfig) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const req = context.switchToHttp().getRequest<WithUpload>();
    const max = this.config.env.ATTACHMENT_MAX_BYTES;
    const form = await readMultipartForm(req, {
      fileField: 'file',
      maxFileBytes: max,
      maxFields: 10,
      maxParts: 12,
    });
    switch (form.problem) {
      case 'too_large':
        throw new DomainError(
          'ATTACHMENT.TOO_LARGE',
          `The file is larger than the limit of ${formatBytes(max)} per file.`,
          { limitBytes: max },
        );
      case 'refused': {
        const reason = 'send one file, as the multipart field "file", with at most 10 text fields';
        throw new DomainError('REQUEST.VALIDATION_FAILED', `Upload refused: ${reason}.`, {
          fields: [{ field: 'file', reasons: [reason] }],
        });
      }
      case 'malformed':
        throw new DomainError(
          'REQUEST.MALFORMED',
          'The body is not complete multipart/form-data (it may have been cut off): send the form again.',
        );
      case null: {
        const problems = scanInput(form.fields).problems;
        // As the fault form does: an empty file is a mistake, never something to attach.
        if (form.file?.size === 0) problems.push({ field: 'file', reasons: ['the file is empty'] });
        if (problems.length > 0) throw validationFailed(problems);
        req.upload = form;
        return next.handle();
      }
    }
  }
}

/** The multipart form UploadInterceptor read for this request. */
export const UploadedForm = createParamDecorator((_: unknown, ctx: ExecutionContext): MultipartForm => {
  const form = ctx.switchToHttp().getRequest<WithUpload>().upload;
  if (!form) throw new Error('UploadedForm used on a route without UploadInterceptor');
  return form;
});
