import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { SlaModule } from '../sla/sla.module';
import { ReportPacks } from './report-packs.service';
import { ReportingController } from './reporting.controller';
import { SlaReportService } from './sla-report.service';

/** SLA reports per trust and period (JSON and streamed CSV), computed in SQL. */
@Module({
  imports: [IncidentsModule, SlaModule, DirectoryModule],
  controllers: [ReportingController],
  providers: [SlaReportService, ReportPacks],
  exports: [SlaReportService, ReportPacks],
})
export class ReportingModule {}
