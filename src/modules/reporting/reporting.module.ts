import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuditModule } from '../audit/audit.module';
import { DirectoryModule } from '../directory/directory.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SlaModule } from '../sla/sla.module';
import { UsersModule } from '../users/users.module';
import { ReportDelivery } from './delivery/report-delivery.entity';
import { ReportDeliveryService } from './delivery/report-delivery.service';
import { ReportSchedules } from './delivery/report-schedules';
import { ReportSubscription } from './delivery/report-subscription.entity';
import { ReportSubscriptionsController } from './delivery/report-subscriptions.controller';
import { ReportSubscriptions } from './delivery/report-subscriptions.service';
import { ReportPacks } from './report-packs.service';
import { ReportingController } from './reporting.controller';
import { SlaReportService } from './sla-report.service';

/** SLA reports per trust and period (JSON and streamed CSV), computed in SQL; report subscriptions by email. */
@Module({
  imports: [
    IncidentsModule,
    SlaModule,
    DirectoryModule,
    NotificationsModule,
    UsersModule,
    AuditModule,
    TypeOrmModule.forFeature([ReportSubscription, ReportDelivery]),
  ],
  controllers: [ReportSubscriptionsController, ReportingController],
  providers: [SlaReportService, ReportPacks, ReportSchedules, ReportSubscriptions, ReportDeliveryService],
  exports: [SlaReportService, ReportPacks, ReportDeliveryService, ReportSchedules, TypeOrmModule],
})
export class ReportingModule {}
