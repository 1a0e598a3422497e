import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { createHash } from 'node:crypto';
import type { DataSource, EntityManager, Repository } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import { AppConfig } from '../../config/app-config';
import { actorUserId, type Actor } from '../audit/actor';
import { AuditService } from '../audit/audit.service';
import type { EventKind } from '../incidents/domain/timeline-events';
import { IncidentEvent } from '../incidents/incident-event.entity';
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

/** A file ready to store: its type sniffed from its bytes, a safe name matching that type. */
export interface PreparedFile {
  filename: string;
  contentType: string;
  data: Buffer;
}

/** What to do with a file over the per-file or per-incident limit: refuse the whole request (413), or leave it out. */
export type OverLimit = 'refuse' | 'skip';

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

/**
 * Files on incidents (part of the incident record), stored in PostgreSQL with a cap per file and per incident. A
 * file belongs to the incident, or to one timeline entry of it (`eventId`), and is visible exactly to whoever may
 * read that entry: a file added with an internal note is as private as the note. Every way a file arrives (the
 * API, the web form, email intake) stores it through `store`.
 */
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

  /** Sniffs a file's type from its bytes (never trusting the sender's claim) and gives it a safe, matching name. */
  async prepare(name: string, data: Buffer): Promise<PreparedFile> {
    const contentType = await sniffContentType(data);
    return { filename: servedFilename(safeFilename(name), contentType), contentType, data };
  }

  /** An upload through the API or the web form: one file, refused (413) over a limit, in its own transaction. */
  async add(
    incidentId: string,
    file: Upload,
    actor: Actor,
    eventId: string | null = null,
  ): Promise<AttachmentView> {
    this.assertFileSize(file.size);
    const prepared = await this.prepare(file.originalname, file.buffer);
    const { kept } = await this.db.transaction(async (em) => {
      // Serialise uploads to one incident so two concurrent uploads cannot both pass the total check.
      await em.query('SELECT id FROM incident WHERE id = $1 FOR UPDATE', [incidentId]);
      if (eventId !== null) await this.assertEventOf(em, incidentId, eventId);
      return this.store(em, incidentId, eventId, [prepared], actor, 'refuse');
    });
    return kept[0];
  }

  /**
   * Stores files on an incident (on one of its timeline entries when `eventId` is given) in the caller's
   * transaction, which holds the incident's row: within the per-file and per-incident limits, a file over one is
   * refused (`refuse`: 413, nothing stored) or left out (`skip`: returned in `skipped`). What is kept is audited.
   */
  async store(
    em: EntityManager,
    incidentId: string,
    eventId: string | null,
    files: readonly PreparedFile[],
    actor: Actor,
    overLimit: OverLimit,
  ): Promise<{ kept: AttachmentView[]; skipped: PreparedFile[] }> {
    if (files.length === 0) return { kept: [], skipped: [] };
    const perFile = this.config.env.ATTACHMENT_MAX_BYTES;
    const perIncident = this.config.env.INCIDENT_ATTACHMENTS_MAX_BYTES;
    const [{ total }] = await em.query<{ total: string }[]>(
      'SELECT coalesce(sum(size), 0)::bigint AS total FROM attachment WHERE incident_id = $1',
      [incidentId],
    );
    let used = Number(total);
    const kept: AttachmentView[] = [];
    const skipped: PreparedFile[] = [];
    for (const file of files) {
      const size = file.data.length;
      const problem =
        size > perFile
          ? `The file is larger than the limit of ${formatBytes(perFile)} per file.`
          : used + size > perIncident
            ? `The incident's attachments would exceed the limit of ${formatBytes(perIncident)} per incident.`
            : null;
      if (problem) {
        if (overLimit === 'refuse') throw tooLarge(problem, size > perFile ? perFile : perIncident);
        skipped.push(file);
        continue;
      }
      const row = await em.save(
        em.create(Attachment, {
          incidentId,
          eventId,
          filename: file.filename,
          contentType: file.contentType.slice(0, 127),
          size,
          sha256: createHash('sha256').update(file.data).digest('hex'),
          data: file.data,
          uploadedByUserId: actorUserId(actor),
        }),
      );
      used += size;
      kept.push(present(row));
    }
    if (kept.length > 0) {
      await this.audit.record(em, {
        entityType: 'incident',
        entityId: incidentId,
        action: 'incident.attachment_added',
        actor,
        changes: kept.map((k) => ({
          field: 'attachments',
          old: null,
          new: { id: k.id, filename: k.filename, size: k.size, contentType: k.contentType },
        })),
      });
    }
    return { kept, skipped };
  }

  /** The incident's files a reader of these timeline kinds may see (files of entries they may not read are left out). */
  async list(incidentId: string, visibleKinds: readonly EventKind[]): Promise<AttachmentView[]> {
    const rows = await this.visible(incidentId, visibleKinds).orderBy('a.createdAt', 'ASC').getMany();
    return rows.map(present);
  }

  /** One file and its bytes, if a reader of these timeline kinds may see it; otherwise ATTACHMENT.NOT_FOUND. */
  async content(
    incidentId: string,
    id: string,
    visibleKinds: readonly EventKind[],
  ): Promise<{ view: AttachmentView; data: Buffer }> {
    const row = await this.visible(incidentId, visibleKinds)
      .addSelect('a.data')
      .andWhere('a.id = :id', { id })
      .getOne();
    if (!row?.data) throw new DomainError('ATTACHMENT.NOT_FOUND', 'No such attachment on this incident.');
    return { view: present(row), data: row.data };
  }

  /** Files of the incident that are its own or belong to an entry of one of these kinds. */
  private visible(incidentId: string, kinds: readonly EventKind[]) {
    return this.attachments
      .createQueryBuilder('a')
      .leftJoin(IncidentEvent, 'e', 'e.id = a.eventId')
      .where('a.incidentId = :incidentId', { incidentId })
      .andWhere('(a.eventId IS NULL OR e.kind IN (:...kinds))', { kinds: kinds.length ? kinds : ['none'] });
  }

  /** An upload's `eventId` must name an entry of the same incident (422 otherwise). */
  private async assertEventOf(em: EntityManager, incidentId: string, eventId: string): Promise<void> {
    const [found] = await em.query<{ id: string }[]>(
      'SELECT id FROM incident_event WHERE id = $1 AND incident_id = $2',
      [eventId, incidentId],
    );
    if (!found) {
      throw new DomainError(
        'ATTACHMENT.UNKNOWN_EVENT',
        `eventId: no timeline entry ${eventId} on this incident.`,
        { field: 'eventId' },
      );
    }
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
