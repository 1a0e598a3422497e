import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource, Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { actorUserId, type Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import { Attachment } from './attachment.entity';
import { servedFilename } from './served-filename';
import { sniffContentType } from './sniff-content-type';

export interface AttachmentView {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  sha256: string;
  eventId: string | null;
  createdAt: string;
}

export interface Upload {
  originalname: string;
  buffer: Buffer;
  size: number;
}

const present = (a: Attachment): AttachmentView => ({
  id: a.id,
  // Rows stored before names were matched to their type are served the same way.
  filename: servedFilename(a.filename, a.contentType),
  contentType: a.contentType,
  size: a.size,
  sha256: a.sha256,
  eventId: a.eventId,
  createdAt: a.createdAt.toISOString(),
});

/** Files on incidents, stored in PostgreSQL, with a cap per file and per incident. */
@Injectable()
export class AttachmentsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @InjectRepository(Attachment) private readonly attachments: Repository<Attachment>,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Refuses a file over the per-file cap before anything is read further (also enforced by the upload limit). */
  assertFileSize(size: number): void {
    const max = this.config.env.ATTACHMENT_MAX_BYTES;
    if (size > max) throw tooLarge(`The file is larger than the limit of ${formatBytes(max)} per file.`, max);
  }

  async add(
    incidentId: string,
    file: Upload,
    actor: Actor,
    eventId: string | null = null,
  ): Promise<AttachmentView> {
    this.assertFileSize(file.size);
    const contentType = await sniffContentType(file.buffer);
    const sha256 = createHash('sha256').update(file.buffer).digest('hex');
    const filename = servedFilename(safeFilename(file.originalname), contentType);
    const max = this.config.env.INCIDENT_ATTACHMENTS_MAX_BYTES;
    const saved = await this.db.transaction(async (em) => {
      // Serialise uploads to one incident so two concurrent uploads cannot both pass the total check.
      await em.query('SELECT id FROM incident WHERE id = $1 FOR UPDATE', [incidentId]);
      const [{ total }] = await em.query<{ total: string }[]>(
        'SELECT coalesce(sum(size), 0) AS total FROM attachment WHERE incident_id = $1',
        [incidentId],
      );
      if (Number(total) + file.size > max) {
        throw tooLarge(
          `The incident's attachments would exceed the limit of ${formatBytes(max)} per incident.`,
          max,
        );
      }
      const row = await em.save(
        em.create(Attachment, {
          incidentId,
          eventId,
          filename,
          contentType,
          size: file.size,
          sha256,
          data: file.buffer,
          uploadedByUserId: actorUserId(actor),
        }),
      );
      await this.audit.record(em, {
        entityType: 'incident',
        entityId: incidentId,
        action: 'incident.attachment_added',
        actor,
        changes: [
          { field: 'attachments', old: null, new: { id: row.id, filename, size: file.size, contentType } },
        ],
      });
      return row;
    });
    return present(saved);
  }

  async list(incidentId: string): Promise<AttachmentView[]> {
    return (await this.attachments.find({ where: { incidentId }, order: { createdAt: 'ASC' } })).map(present);
  }

  async content(incidentId: string, id: string): Promise<{ view: AttachmentView; data: Buffer }> {
    const row = await this.attachments
      .createQueryBuilder('a')
      .addSelect('a.data')
      .where('a.id = :id AND a.incidentId = :incidentId', { id, incidentId })
      .getOne();
    if (!row?.data) throw new DomainError('ATTACHMENT.NOT_FOUND', 'No such attachment on this incident.');
    return { view: present(row), data: row.data };
  }
}

function tooLarge(message: string, limitBytes: number): DomainError {
  return new DomainError('ATTACHMENT.TOO_LARGE', message, { limitBytes });
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${+(n / (1024 * 1024)).toFixed(1)} MB`;
  if (n >= 1024) return `${+(n / 1024).toFixed(1)} KB`;
  return `${n} bytes`;
}

/**
 * A file name safe to store and to send back in Content-Disposition: no paths, no control characters, and no
 * bidirectional controls (U+202A-U+202E, U+2066-U+2069, U+200E/U+200F, U+061C), which can make `invoice\u202Etxt.exe`
 * display as `invoiceexe.txt`.
 */
export function safeFilename(name: string): string {
  const base =
    name
      .split(/[\\/]/)
      .pop()
      ?.replace(/[\x00-\x1f\x7f"\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g, '')
      .trim() ?? '';
  return (base || 'attachment').slice(0, 255);
}
