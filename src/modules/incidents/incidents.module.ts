import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Attachment } from '../attachments/attachment.entity';
import { AttachmentsService } from '../attachments/attachments.service';
import { UploadInterceptor } from '../attachments/upload.interceptor';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SystemModule } from '../system/system.module';
import { IdempotencyKeys } from './create/idempotency-keys';
import { IncidentCreator } from './create/incident-creator';
import { IncidentScope } from './incident-access';
import { IncidentEvent } from './incident-event.entity';
import { IncidentQueries } from './incident-queries.service';
import { IncidentWorkflow } from './incident-workflow.service';
import { Incident } from './incident.entity';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { IncidentChanges } from './participants/incident-changes';
import { IncidentParticipants } from './participants/incident-participants';
import { StatusLinkService } from './status-link.service';

/**
 * The incident record: every channel creates and changes incidents through the services exported here. Other
 * modules take part in an incident's life as IncidentParticipants (found by DiscoveryService), so this module
 * imports none of them.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Incident, IncidentEvent, Attachment]),
    DiscoveryModule,
    AuditModule,
    NotificationsModule,
    SystemModule,
  ],
  controllers: [IncidentsController],
  providers: [
    IncidentParticipants,
    IncidentChanges,
    IncidentScope,
    IncidentCreator,
    IdempotencyKeys,
    IncidentsService,
    IncidentWorkflow,
    IncidentQueries,
    StatusLinkService,
    AttachmentsService,
    UploadInterceptor,
  ],
  exports: [
    IncidentsService,
    IncidentWorkflow,
    IncidentQueries,
    IncidentScope,
    StatusLinkService,
    AttachmentsService,
  ],
})
export class IncidentsModule {}
