import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import type { Actor } from '../audit/actor';
import { AuditService, diffFields } from '../audit/audit.service';
import { decidePriority } from './domain/priority-matrix';
import type { IncidentView } from './dto/incident.dto';
import type { UpdateIncidentDto } from './dto/update-incident.dto';
import { IncidentCreator } from './create/incident-creator';
import type { CreatedIncident, CreateHooks, NewIncident } from './create/new-incident';
import { resolveSiteAndService } from './create/site-and-service';
import { lockIncident } from './facts/incident-facts';
import { IncidentQueries } from './incident-queries.service';
import { IncidentRecorder } from './incident-recorder';
import { REFRESH_SEARCH_SQL } from './incident-sql';
import { IncidentChanges } from './participants/incident-changes';

export type { CreatedIncident, CreateHooks, NewIncident } from './create/new-incident';

/** The fields an edit may change, as the audit log names them. */
const EDITABLE = [
  'summary',
  'description',
  'siteId',
  'trustId',
  'siteClassCode',
  'serviceId',
  'impact',
  'urgency',
  'priority',
  'priorityOverridden',
  'priorityReason',
] as const;

/** Creating and editing incidents. Status changes, assignment and the timeline live in IncidentWorkflow. */
@Injectable()
export class IncidentsService {
  constructor(
    private readonly creator: IncidentCreator,
    private readonly changes: IncidentChanges,
    private readonly queries: IncidentQueries,
    private readonly audit: AuditService,
    private readonly config: AppConfig,
  ) {}

  /** Every channel's create (see IncidentCreator: two round trips, one statement, a group commit). */
  create(input: NewIncident, actor: Actor, hooks: CreateHooks = {}): Promise<CreatedIncident> {
    return this.creator.create(input, actor, hooks);
  }

  /** Edits fields; priority follows the matrix unless overridden with a reason. Records every change. */
  async update(reference: string, dto: UpdateIncidentDto, actor: Actor): Promise<IncidentView> {
    const id = await this.changes.run(async (tx) => {
      const { em } = tx;
      const incident = await lockIncident(em, reference);
      const before = { ...incident };
      if (dto.siteCode !== undefined || dto.service !== undefined) {
        const { site, service } = await resolveSiteAndService(em, dto.siteCode ?? null, dto.service ?? null);
        if (site)
          Object.assign(incident, { siteId: site.id, trustId: site.trustId, siteClassCode: site.classCode });
        if (service) incident.serviceId = service.id;
      }
      if (dto.summary !== undefined) incident.summary = dto.summary.trim();
      if (dto.description !== undefined) incident.description = dto.description;
      if (dto.impact !== undefined) incident.impact = dto.impact;
      if (dto.urgency !== undefined) incident.urgency = dto.urgency;
      const keepOverride = dto.priority === undefined && incident.priorityOverridden;
      const override = dto.priority
        ? { priority: dto.priority, reason: dto.priorityReason }
        : keepOverride
          ? { priority: incident.priority, reason: incident.priorityReason }
          : undefined;
      const decision = decidePriority(
        { impact: incident.impact, urgency: incident.urgency, override },
        this.config.priorityMatrix,
      );
      Object.assign(incident, {
        priority: decision.priority,
        priorityOverridden: decision.overridden,
        priorityReason: decision.reason,
      });

      const changes = diffFields(before, incident, EDITABLE);
      if (changes.length === 0) return incident.id;
      await em.save(incident);
      const recorder = new IncidentRecorder(em, this.audit, incident.id, actor);
      if (before.priority !== incident.priority) {
        await recorder.event('system', {
          type: 'priority_changed',
          data: { from: before.priority, to: incident.priority, reason: decision.reason },
        });
      }
      const others = changes.filter((c) => !c.field.startsWith('priority')).map((c) => c.field);
      if (others.length) await recorder.event('system', { type: 'fields_changed', data: { fields: others } });
      await recorder.auditChange('incident.updated', changes);
      if (dto.summary !== undefined || dto.description !== undefined)
        await em.query(REFRESH_SEARCH_SQL, [incident.id]);
      tx.changed(incident, actor, { type: 'fields', fields: changes.map((c) => c.field) });
      return incident.id;
    });
    return this.queries.present(id);
  }
}
