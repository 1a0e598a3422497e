import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { NotificationsService } from '../notifications/notifications.service';
import { User } from '../users/user.entity';

export interface DeskAlert {
  incidentId: string;
  reference: string;
  supplierName: string;
  /** What happened, one line, no personal data. */
  headline: string;
  detail: string;
}

/** Mail to every active desk manager about a supplier problem (a failed delivery, a contract breach). */
@Injectable()
export class DeskAlerts {
  constructor(private readonly notifications: NotificationsService) {}

  /** Queues the mails in the caller's transaction; returns the outbox row ids for `dispatch` after the commit. */
  async queue(em: EntityManager, alert: DeskAlert): Promise<string[]> {
    const managers = await em
      .getRepository(User)
      .find({ where: { role: 'desk_manager', active: true }, select: { email: true, name: true } });
    const ids: string[] = [];
    for (const manager of managers) {
      const row = await this.notifications.queueEmail(em, {
        template: 'escalation-alert',
        to: manager.email,
        subject: `[${alert.reference}] ${alert.headline}`,
        context: { ...alert, name: manager.name },
        incidentId: alert.incidentId,
      });
      ids.push(row.id);
    }
    return ids;
  }

  async dispatch(ids: string[]): Promise<void> {
    await this.notifications.dispatch(ids);
  }
}
