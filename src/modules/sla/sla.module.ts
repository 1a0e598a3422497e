import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { IncidentSla } from './entities/incident-sla.entity';
import { SlaCalendar } from './entities/sla-calendar.entity';
import { SlaHolidayOverride } from './entities/sla-holiday-override.entity';
import { SlaPolicyVersion } from './entities/sla-policy-version.entity';
import { SlaPolicy } from './entities/sla-policy.entity';
import { SlaAdminController, SlaIncidentController } from './sla-admin.controller';
import { SlaAdminService } from './sla-admin.service';
import { SlaCalendars } from './sla-calendars.service';
import { SlaEngine } from './sla-engine';
import { SlaOpenPeriods } from './sla-open-periods';
import { SlaNotifier } from './sla-notifier';
import { SlaParticipant } from './sla-participant';
import { SlaPolicies } from './sla-policies.service';
import { SlaScheduler } from './sla-scheduler';
import { SlaSettings } from './sla-settings';
import { SlaService } from './sla.service';

/**
 * The SLA engine: policies, calendars, per-incident clocks (computed in the incident's own transactions, as an
 * incident participant: SlaParticipant) and the admin API. The acting side (timers, sweeper, texts) is
 * SlaWorkerModule.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([SlaCalendar, SlaHolidayOverride, SlaPolicy, SlaPolicyVersion, IncidentSla]),
    NotificationsModule,
    AuditModule,
  ],
  controllers: [SlaAdminController, SlaIncidentController],
  providers: [
    SlaSettings,
    SlaCalendars,
    SlaPolicies,
    SlaNotifier,
    SlaEngine,
    SlaScheduler,
    SlaService,
    SlaParticipant,
    SlaAdminService,
    SlaOpenPeriods,
  ],
  exports: [SlaService, SlaEngine, SlaScheduler, SlaSettings, SlaCalendars, SlaAdminService, SlaOpenPeriods],
})
export class SlaModule {}
