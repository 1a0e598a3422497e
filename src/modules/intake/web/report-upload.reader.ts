import { Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import multer from 'multer';
import { AppConfig } from '../../../config/app-config';
import type { Upload } from '../../attachments/attachments.service';

export type UploadProblem = 'too_large' | 'empty' | 'refused';

export interface ReadUpload {
  file: Upload | null;
  problem: UploadProblem | null;
}

/**
 * Reads a multipart form (the fault form with its optional `attachment`) into memory. A file over the per-file
 * limit stops the read at once; unlike the API's UploadInterceptor nothing is thrown, so the page can be shown
 * again with the fields that arrived before the file (the form puts the file last) and an error naming the limit.
 * A urlencoded body (no file) was already parsed by Nest's body parser and passes through.
 */
@Injectable()
export class ReportUploadReader {
  private readonly upload: ReturnType<ReturnType<typeof multer>['single']>;
  readonly maxBytes: number;

  constructor(config: AppConfig) {
    // A new incident's attachments are also capped in total; a single file must fit both caps.
    this.maxBytes = Math.min(config.env.ATTACHMENT_MAX_BYTES, config.env.INCIDENT_ATTACHMENTS_MAX_BYTES);
    this.upload = multer({
      storage: multer.memoryStorage(),
      limits: { fileSize: this.maxBytes, files: 1, fields: 30, parts: 40, fieldSize: 64 * 1024 },
    }).single('attachment');
  }

  read(req: Request, res: Response): Promise<ReadUpload> {
    return new Promise((resolve, reject) => {
      this.upload(req, res, (err: unknown) => {
        if (err instanceof multer.MulterError) {
          return resolve({ file: null, problem: err.code === 'LIMIT_FILE_SIZE' ? 'too_large' : 'refused' });
        }
        if (err) return reject(err instanceof Error ? err : new Error('The upload could not be read'));
        const file = (req as Request & { file?: Express.Multer.File }).file;
        if (!file) return resolve({ file: null, problem: null });
        if (file.size === 0) return resolve({ file: null, problem: 'empty' });
        resolve({
          file: { originalname: file.originalname, buffer: file.buffer, size: file.size },
          problem: null,
        });
      });
    });
  }
}
