import { Injectable, Logger } from '@nestjs/common';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { errorText } from '../../common/errors/error-text';
import { SYSTEM_ACTOR } from '../audit/actor';
import { formatReference } from '../incidents/domain/incident-reference';
import { IncidentDto } from '../incidents/dto/incident.dto';
import {
  IncidentParticipantProvider,
  type CreateParticipation,
  type IncidentExtensions,
  type IncidentParticipant,
  type ViewParticipation,
} from '../incidents/participants/incident-participant';
import { pickRoute, type RouteRule } from './domain/routing';
import { EscalationDto } from './dto/escalation.dto';
import { escalationRowsJson, presentEscalation, type RawEscalation } from './escalation-view';
import { EscalationsService } from './escalations.service';

declare module '../incidents/participants/incident-participant' {
  interface IncidentExtensions {
    /** The incident's escalations to suppliers (EscalationParticipant), oldest first; empty for none. */
    escalations: EscalationDto[];
  }
}

// The `escalations` block in the OpenAPI schema of the incident (this module adds it, as it adds the block itself).
ApiPropertyOptional({
  type: [EscalationDto],
  description: "Escalations to suppliers, oldest first, each with the supplier's contract clocks",
})(IncidentDto.prototype, 'escalations');

/** A new incident a routing rule may escalate at once. */
interface NewForRouting {
  reference: string;
  serviceId: string;
  siteClassCode: string;
  priority: string;
}

/**
 * Escalation's part in incidents:
 * - which incidents a supplier's users may see (those escalated to their supplier);
 * - the `escalations` block of the incident JSON (`[]` in a create's answer);
 * - after a create commits, the routing rules with auto-escalation escalate the new incidents they match (a rule,
 *   not a person, is then the one who escalated).
 */
@Injectable()
@IncidentParticipantProvider()
export class EscalationParticipant implements IncidentParticipant<NewForRouting> {
  readonly name = 'escalation';
  private readonly logger = new Logger(EscalationParticipant.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly escalations: EscalationsService,
  ) {}

  readonly create: CreateParticipation<NewForRouting> = {
    prepare: (incident) =>
      Promise.resolve({
        rows: [],
        view: { escalations: [] },
        followUp: {
          reference: formatReference(incident.number),
          serviceId: incident.serviceId,
          siteClassCode: incident.siteClassCode,
          priority: incident.priority,
        },
      }),
  };

  async afterCommit(followUps: readonly NewForRouting[]): Promise<void> {
    if (followUps.length === 0) return;
    try {
      const rules = await this.db.query<(RouteRule & { supplierCode: string })[]>(
        `SELECT r.id, r.service_id AS "serviceId", r.site_class AS "siteClass", r.priority, r.supplier_id AS "supplierId",
                r.auto_escalate AS "autoEscalate", s.code AS "supplierCode"
           FROM escalation_route r JOIN supplier s ON s.id = r.supplier_id WHERE r.service_id = ANY($1::uuid[])`,
        [[...new Set(followUps.map((f) => f.serviceId))]],
      );
      if (rules.length === 0) return;
      for (const incident of followUps) {
        const rule = pickRoute(rules, incident);
        if (!rule?.autoEscalate) continue;
        await this.escalations
          .escalate(incident.reference, rule.supplierCode, `Routing rule ${rule.id}`, {
            ...SYSTEM_ACTOR,
            name: 'Routing rule',
          })
          .catch((err: unknown) =>
            this.logger.warn(
              { reference: incident.reference, rule: rule.id, err: errorText(err) },
              'Auto-escalation failed',
            ),
          );
      }
    } catch (err) {
      this.logger.warn({ err: errorText(err) }, 'Routing rules could not be read; no auto-escalation');
    }
  }

  readonly view: ViewParticipation = {
    column: (alias) => escalationRowsJson(alias),
    present: (raw) => {
      const blocks = new Map<string, Partial<IncidentExtensions>>();
      for (const [id, rows] of raw) {
        blocks.set(id, {
          escalations: Array.isArray(rows) ? (rows as RawEscalation[]).map(presentEscalation) : [],
        });
      }
      return Promise.resolve(blocks);
    },
  };

  supplierScope(incidentAlias: string, supplierId: string): string {
    return `EXISTS (SELECT 1 FROM escalation scope_e WHERE scope_e.incident_id = ${incidentAlias}.id AND scope_e.supplier_id = ${supplierId})`;
  }
}
