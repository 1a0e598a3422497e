import type { EntityManager } from 'typeorm';
import type { Actor } from '../audit/actor';
import type { FieldChange } from '../audit/audit-entry.entity';
import type { AuditService } from '../audit/audit.service';
import type { EventKind, SystemEventType } from './incident-event.entity';
import { appendEvent, eventAuthor } from './timeline/append-event';

/** Writes timeline entries and audit entries for one change, in the caller's transaction. */
export class IncidentRecorder {
  constructor(
    private readonly em: EntityManager,
    private readonly audit: AuditService,
    private readonly incidentId: string,
    private readonly actor: Actor,
  ) {}

  async event(
    kind: EventKind,
    options: { type?: SystemEventType; body?: string; data?: object } = {},
  ): Promise<string> {
    return appendEvent(this.em, {
      incidentId: this.incidentId,
      kind,
      type: options.type,
      body: options.body,
      author: eventAuthor(this.actor),
      data: options.data,
    });
  }

  async auditChange(action: string, changes: FieldChange[]): Promise<void> {
    await this.audit.record(this.em, {
      entityType: 'incident',
      entityId: this.incidentId,
      action,
      actor: this.actor,
      changes,
    });
  }
}
