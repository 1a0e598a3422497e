import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Service } from '../../directory/service.entity';
import { Site } from '../../directory/site.entity';
import { formatReference } from '../../incidents/domain/incident-reference';
import {
  IncidentParticipantProvider,
  type CreateParticipation,
  type IncidentChangeSet,
  type IncidentParticipant,
  type NewIncidentFacts,
} from '../../incidents/participants/incident-participant';
import { NotificationsService } from '../../notifications/notifications.service';
import { insertSmsSql, smsRecords, type SmsInput } from '../../notifications/sms/sms-records';
import { SMS } from './domain/phone-texts';
import { PhoneSettings } from './phone-settings';
import { Subscriptions } from './subscriptions';

/** The texts one transaction queued for one incident, dispatched after its commit. */
interface AlertFollowUp {
  incidentId: string;
  smsIds: string[];
}

/**
 * P1 alerts to the on-call list: when an incident is created as P1 (any channel) or its priority is raised to P1,
 * each on-call number of its service (PHONE_ON_CALL_NUMBERS) gets one text: the reference, the site and the summary
 * cut short. Queued in the outbox in the transaction of the change (a create's share of its one statement, or
 * onChange in the workflow's transaction), sent after the commit with a status callback each (delivery on the
 * timeline). Once per incident: the rows carry the purpose `on_call_p1`, and insertSmsSql writes none for an
 * incident that has them, so P1 → P2 → P1 texts nobody again. A number that texted STOP gets nothing. Logs hold
 * the incident's id and how many texts, never a number.
 */
@Injectable()
@IncidentParticipantProvider()
export class OnCallAlerts implements IncidentParticipant<AlertFollowUp> {
  readonly name = 'on_call';
  private readonly logger = new Logger(OnCallAlerts.name);

  constructor(
    private readonly settings: PhoneSettings,
    private readonly notifications: NotificationsService,
    private readonly subscriptions: Subscriptions,
  ) {}

  readonly create: CreateParticipation<AlertFollowUp> = {
    insertSql: insertSmsSql,
    prepare: (incident: NewIncidentFacts, lookup) => {
      const alert = this.alert(incident, String(lookup.service_code), String(lookup.site_name));
      const rows = alert ? smsRecords(alert) : [];
      return Promise.resolve({
        rows,
        view: {},
        followUp: rows.length > 0 ? { incidentId: incident.id, smsIds: rows.map((r) => r.id) } : null,
      });
    },
  };

  async onChange(em: EntityManager, change: IncidentChangeSet): Promise<AlertFollowUp | null> {
    const { incident } = change;
    const raised = change.changes.some((c) => c.type === 'fields' && c.fields.includes('priority'));
    if (!raised || incident.priority !== 'P1' || this.settings.onCall.size === 0) return null;
    const [service, site] = await Promise.all([
      em.getRepository(Service).findOne({ select: { code: true }, where: { id: incident.serviceId } }),
      em.getRepository(Site).findOne({ select: { name: true }, where: { id: incident.siteId } }),
    ]);
    const alert = service && site ? this.alert(incident, service.code, site.name) : null;
    if (!alert) return null;
    const smsIds = await this.notifications.queueSms(em, alert);
    return smsIds.length > 0 ? { incidentId: incident.id, smsIds } : null;
  }

  async afterCommit(followUps: readonly AlertFollowUp[]): Promise<void> {
    for (const f of followUps) {
      this.logger.log(
        { incidentId: f.incidentId, numbers: f.smsIds.length },
        'P1 alert to on-call queued (a number that texted STOP gets none)',
      );
    }
    await this.notifications.dispatchSms(followUps.flatMap((f) => f.smsIds));
  }

  /** The alert's texts for a P1 incident of this service (null: not P1, or no on-call number for the service). */
  private alert(
    incident: Pick<NewIncidentFacts, 'id' | 'number' | 'priority' | 'summary'>,
    serviceCode: string,
    siteName: string,
  ): SmsInput | null {
    const numbers = this.settings.onCall.get(serviceCode) ?? [];
    if (incident.priority !== 'P1' || numbers.length === 0) return null;
    return {
      incidentId: incident.id,
      to: numbers,
      body: SMS.onCallP1(formatReference(incident.number), siteName, incident.summary),
      statusCallback: this.subscriptions.statusCallback(incident.id),
      purpose: 'on_call_p1',
    };
  }
}
