import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import type { Observable } from 'rxjs';
import { DomainError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { formatBytes } from './attachments.service';

/**
 * Reads one multipart file field (`file`) into memory, refusing it as soon as it passes the per-file limit:
 * 413 with the limit in the message, before the rest is read.
 */
@Injectable()
export class UploadInterceptor implements NestInterceptor {
  private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;

  constructor(private readonly config: AppConfig) {
    this.upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: config.env.ATTACHMENT_MAX_BYTES, files: 1, fields: 10, fieldSize: 64 * 1024 },
    }).single('file');
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    await new Promise<void>((resolve, reject) => {
      this.upload(http.getRequest<Request>(), http.getResponse<Response>(), (err: unknown) => {
        if (!err) return resolve();
        if (err instanceof multer.MulterError && err.code === 'LIMIT_FILE_SIZE') {
          const max = this.config.env.ATTACHMENT_MAX_BYTES;
          return reject(new DomainError('ATTACHMENT.TOO_LARGE', `The file is larger than the limit of ${formatBytes(max)} per file.`, { limitBytes: max }));
        }
        if (err instanceof multer.MulterError) {
          return reject(new DomainError('REQUEST.VALIDATION_FAILED', `Upload refused: ${err.message}`, { fields: [{ field: err.field ?? 'file', reasons: [err.message] }] }));
        }
        reject(err instanceof Error ? err : new Error('Upload failed'));
      });
    });
    return next.handle();
  }
}
