import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../../directory/directory.module';
import { IncidentEvent } from '../../incidents/incident-event.entity';
import { Incident } from '../../incidents/incident.entity';
import { IncidentsModule } from '../../incidents/incidents.module';
import { SystemModule } from '../../system/system.module';
import { WebModule } from '../../../common/web/web.module';
import { ReportFormPage } from './report-form.page';
import { ReportIntakeService } from './report-intake.service';
import { ReportPageFilter } from './report-page.filter';
import { ReportRateLimiter, reportThrottlerStorageProvider } from './report-rate-limiter';
import { ReportStatusController } from './report-status.controller';
import { ReportStatusService } from './report-status.service';
import { ReportSubmissions } from './report-submissions';
import { ReportUploadReader } from './report-upload.reader';
import { ReportViews } from './report-views';
import { ReportController } from './report.controller';

/** The public web fault form (`/report`), its thanks page and the reporter's status page. */
@Module({
  imports: [
    TypeOrmModule.forFeature([Incident, IncidentEvent]),
    IncidentsModule,
    DirectoryModule,
    SystemModule,
    WebModule,
  ],
  controllers: [ReportController, ReportStatusController],
  providers: [
    { provide: ReportViews, useFactory: () => new ReportViews() },
    ReportFormPage,
    ReportIntakeService,
    ReportStatusService,
    ReportUploadReader,
    ReportRateLimiter,
    reportThrottlerStorageProvider,
    ReportPageFilter,
    ReportSubmissions,
  ],
})
export class WebIntakeModule {}
