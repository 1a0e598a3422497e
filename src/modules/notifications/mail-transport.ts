import { Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import nodemailer, { type SendMailOptions, type Transporter } from 'nodemailer';
import { AppConfig } from '../../config/app-config';

export interface Delivery {
  /** Where it went: `smtp` (the relay accepted it) or `outbox` (written to this file). */
  via: 'smtp' | 'outbox';
  file?: string;
}

/**
 * Bounds on one SMTP conversation. They keep a send well inside the sender's claim on a row (MailSender's
 * CLAIM_MS), so a slow relay cannot make a second worker think the first one died.
 */
const SMTP_TIMEOUTS = { connectionTimeout: 30_000, greetingTimeout: 30_000, socketTimeout: 60_000 };

/**
 * The wire: an SMTP relay when `SMTP_URL` is set, otherwise `.eml` files in `OUTBOX_DIR` (development, tests,
 * the embedded mode). One transporter per process, created on first use.
 */
@Injectable()
export class MailTransport implements OnModuleDestroy {
  private readonly logger = new Logger(MailTransport.name);
  private smtp: Transporter | null = null;
  private stream: Transporter | null = null;

  constructor(private readonly config: AppConfig) {}

  get mode(): 'smtp' | 'outbox' {
    return this.config.env.SMTP_URL ? 'smtp' : 'outbox';
  }

  get outboxDir(): string {
    return resolve(this.config.env.OUTBOX_DIR);
  }

  /**
   * Sends the message. In outbox mode the file is written under a temporary name and renamed into place, so
   * a reader never sees half a message and a retry replaces the same `fileName` instead of adding another.
   */
  async deliver(message: SendMailOptions, fileName: string): Promise<Delivery> {
    const url = this.config.env.SMTP_URL;
    if (url) {
      this.smtp ??= nodemailer.createTransport({
        url,
        ...SMTP_TIMEOUTS,
        disableFileAccess: true,
        disableUrlAccess: true,
      });
      await this.smtp.sendMail(message);
      return { via: 'smtp' };
    }
    this.stream ??= nodemailer.createTransport({
      streamTransport: true,
      buffer: true,
      newline: 'windows',
      disableFileAccess: true,
      disableUrlAccess: true,
    });
    const info = (await this.stream.sendMail(message)) as { message: Buffer };
    const dir = this.outboxDir;
    const file = join(dir, fileName);
    const temp = join(dir, `.${fileName}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temp, info.message, { mode: 0o640 }).catch(async (err: NodeJS.ErrnoException) => {
        // The folder is made when a write finds it missing (the first mail, or someone removed it), not per mail.
        if (err.code !== 'ENOENT') throw err;
        await mkdir(dir, { recursive: true });
        await writeFile(temp, info.message, { mode: 0o640 });
      });
      await rename(temp, file);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    return { via: 'outbox', file };
  }

  onModuleDestroy(): void {
    this.smtp?.close();
    this.stream?.close();
    this.smtp = null;
    this.stream = null;
    this.logger.debug('Mail transport closed');
  }
}
