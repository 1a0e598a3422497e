import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { DomainError } from '../../common/errors/domain-error';
import type { Actor } from '../audit/actor';
import { incidentReferences } from '../incidents/facts/incident-facts';
import { IncidentQueries } from '../incidents/incident-queries.service';
import { IncidentWorkflow } from '../incidents/incident-workflow.service';
import type { AuthUser } from '../auth/auth-user';
import { Supplier } from '../directory/supplier.entity';
import { appendEvent, eventAuthor } from '../incidents/timeline/append-event';
import { updateEffect, type EscalationStatus, type SupplierUpdateStatus } from './domain/escalation-status';
import type { SupplierUpdateAnswerDto, SupplierUpdateDto } from './dto/escalation.dto';
import { acceptReference, meetClock, otherOpenEscalations, stopClocks } from './escalation-records';

/** The key under which an update is remembered, with the hash of its body (signed webhook updates only). */
export interface UpdateKey {
  idempotencyKey: string;
  bodyHash: string;
}

/** The supplier as a reader of incidents (the scope rule's supplier case), for a signed webhook with no user. */
function supplierReader(supplier: { id: string; code: string }): AuthUser {
  return {
    id: supplier.id,
    email: `${supplier.code}@suppliers`,
    name: supplier.code,
    role: 'supplier',
    trustId: null,
    supplierId: supplier.id,
  };
}

const notEscalated = (): DomainError =>
  new DomainError('ESCALATION.NOT_FOUND', 'No escalation of that incident to this supplier.');

/**
 * A supplier's update on one of its escalations, by its signed webhook or by one of its users through the API:
 * a timeline entry, the escalation's status (never backwards), its clocks (acknowledge met when the supplier's
 * reference arrives, fix met when it says resolved) and, when the supplier hands the incident back (resolved,
 * not ours, a question), the incident from `awaiting_supplier` to `in_progress` for the desk to confirm with the
 * reporter; it never closes it. All in one incident transaction, with the idempotency key when there is one: the
 * same key and body answers again with no second effect, the same key with another body is refused (409).
 * An incident not escalated to this supplier is not found (404).
 */
@Injectable()
export class SupplierUpdates {
  private readonly logger = new Logger(SupplierUpdates.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly workflow: IncidentWorkflow,
    private readonly incidents: IncidentQueries,
  ) {}

  async apply(
    who: { id: string; code: string } | string,
    dto: SupplierUpdateDto,
    actor: Actor,
    key: UpdateKey | null,
  ): Promise<SupplierUpdateAnswerDto> {
    const supplier = typeof who === 'string' ? await this.supplierById(who) : who;
    if (key) {
      const seen = await this.remembered(this.db.manager, supplier.id, key);
      if (seen) return seen;
    }
    const target = await this.find(supplier, dto);
    const reference = (await incidentReferences(this.db.manager, [target.incidentId])).get(target.incidentId);
    if (!reference) throw notEscalated();
    const answer = await this.workflow.changeWith(reference, actor, async (em, incident, now) => {
      if (key) {
        // Inside the incident's lock: a concurrent twin of this request waited here and now finds the first.
        const seen = await this.remembered(em, supplier.id, key);
        if (seen) return { value: seen };
      }
      const [row] = await em.query<{ status: EscalationStatus }[]>(
        'SELECT status FROM escalation WHERE id = $1 FOR UPDATE',
        [target.id],
      );
      const status = dto.status as SupplierUpdateStatus;
      const effect = updateEffect(row.status, status);
      await em.query(
        `UPDATE escalation SET status = $2::varchar,
            acknowledged_at = CASE WHEN $3::boolean THEN COALESCE(acknowledged_at, $5) ELSE acknowledged_at END,
            resolved_at = CASE WHEN $4::boolean THEN $5 ELSE resolved_at END,
            ended_at = CASE WHEN $2::varchar IN ('resolved', 'cancelled') THEN COALESCE(ended_at, $5) ELSE ended_at END,
            not_ours = not_ours OR $6::boolean
          WHERE id = $1`,
        [target.id, effect.status, effect.acknowledges, effect.fixes, now, effect.notOurs],
      );
      await acceptReference(em, target.id, dto.supplierReference, now);
      if (effect.fixes) await meetClock(em, target.id, 'fix', now);
      if (effect.notOurs) await stopClocks(em, target.id);
      await appendEvent(em, {
        incidentId: incident.id,
        kind: 'system',
        type: 'supplier_update',
        body: dto.message?.trim() || null,
        author: eventAuthor(actor),
        data: {
          escalationId: target.id,
          supplier: supplier.code,
          status,
          eta: dto.eta ? new Date(dto.eta).toISOString() : null,
          supplierReference: dto.supplierReference ?? null,
        },
      });
      const value = { escalationId: target.id, status: effect.status };
      if (key) {
        await em.query(
          `INSERT INTO supplier_update (supplier_id, idempotency_key, body_hash, escalation_id, answer)
           VALUES ($1, $2, $3, $4, $5::jsonb)`,
          [supplier.id, key.idempotencyKey, key.bodyHash, target.id, JSON.stringify(value)],
        );
      }
      const back =
        effect.handsBack &&
        incident.status === 'awaiting_supplier' &&
        !(await otherOpenEscalations(em, incident.id, target.id));
      return { value, to: back ? ('in_progress' as const) : null };
    });
    this.logger.log(
      { escalationId: answer.escalationId, supplier: supplier.code, status: dto.status },
      'Supplier update',
    );
    return answer;
  }

  private async supplierById(id: string): Promise<{ id: string; code: string }> {
    const supplier = await this.db.getRepository(Supplier).findOneBy({ id });
    if (!supplier) throw notEscalated();
    return { id: supplier.id, code: supplier.code };
  }

  /** The answer already given for this key, or null; 409 when the key came with another body. */
  private async remembered(
    em: EntityManager,
    supplierId: string,
    key: UpdateKey,
  ): Promise<SupplierUpdateAnswerDto | null> {
    const [row] = await em.query<{ bodyHash: string; answer: SupplierUpdateAnswerDto }[]>(
      `SELECT body_hash AS "bodyHash", answer FROM supplier_update WHERE supplier_id = $1 AND idempotency_key = $2`,
      [supplierId, key.idempotencyKey],
    );
    if (!row) return null;
    if (row.bodyHash !== key.bodyHash)
      throw new DomainError(
        'ESCALATION.IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was used with another body.',
        { field: 'Idempotency-Key' },
      );
    return row.answer;
  }

  /** The supplier's latest escalation of the incident (by our reference) or the one named; else 404. */
  private async find(
    supplier: { id: string; code: string },
    dto: SupplierUpdateDto,
  ): Promise<{ id: string; incidentId: string }> {
    if (!dto.reference && !dto.escalationId)
      throw new DomainError(
        'REQUEST.VALIDATION_FAILED',
        'reference: give our reference (INC-…) or escalationId.',
        {
          field: 'reference',
        },
      );
    // Our reference is resolved through the one scope rule, as this supplier's user would see it: an incident not
    // escalated to the supplier is not found.
    const incidentId = dto.reference
      ? (
          await this.incidents.findVisible(dto.reference, supplierReader(supplier)).catch(() => {
            throw notEscalated();
          })
        ).id
      : null;
    const rows = await this.db.query<{ id: string; incidentId: string }[]>(
      `SELECT e.id, e.incident_id AS "incidentId" FROM escalation e
        WHERE e.supplier_id = $1 AND ($2::uuid IS NULL OR e.id = $2::uuid) AND ($3::uuid IS NULL OR e.incident_id = $3::uuid)
        ORDER BY e.created_at DESC LIMIT 1`,
      [supplier.id, dto.escalationId ?? null, incidentId],
    );
    if (rows.length === 0) throw notEscalated();
    return rows[0];
  }
}
