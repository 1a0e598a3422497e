import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Attachment } from '../attachments/attachment.entity';
import { AttachmentsService } from '../attachments/attachments.service';
import { UploadInterceptor } from '../attachments/upload.interceptor';
import { AuditModule } from '../audit/audit.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SlaModule } from '../sla/sla.module';
import { SystemModule } from '../system/system.module';
import { IncidentEvent } from './incident-event.entity';
import { IncidentQueries } from './incident-queries.service';
import { IncidentWorkflow } from './incident-workflow.service';
import { Incident } from './incident.entity';
import { IncidentsController } from './incidents.controller';
import { IncidentsService } from './incidents.service';
import { StatusLinkService } from './status-link.service';

/** The incident record: every channel creates and changes incidents through the services exported here. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Incident, IncidentEvent, Attachment]),
    AuditModule,
    NotificationsModule,
    SystemModule,
    SlaModule,
  ],
  controllers: [IncidentsController],
  providers: [
    IncidentsService,
    IncidentWorkflow,
    IncidentQueries,
    StatusLinkService,
    AttachmentsService,
    UploadInterceptor,
  ],
  exports: [IncidentsService, IncidentWorkflow, IncidentQueries, StatusLinkService, AttachmentsService],
})
export class IncidentsModule {}
