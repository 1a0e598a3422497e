import { Module } from '@nestjs/common';
import { AuditModule } from '../../audit/audit.module';
import { IncidentsModule } from '../../incidents/incidents.module';
import { EmailIntakeModule } from './email-intake.module';
import { ImapPoller } from './imap-poller';
import { IntakeEffects } from './intake-effects.service';
import { IntakeLookups } from './intake-lookups';
import { IntakePipeline } from './intake-pipeline.service';
import { PersonMailStep } from './person-mail.step';
import { IntakeProcessor } from './intake.processor';
import { IntakeSweeper } from './intake-sweeper';

/** The email pipeline's worker, its sweeper and the IMAP poller: only in processes that run workers. */
@Module({
  imports: [EmailIntakeModule, IncidentsModule, AuditModule],
  providers: [
    IntakeLookups,
    IntakeEffects,
    PersonMailStep,
    IntakePipeline,
    IntakeProcessor,
    IntakeSweeper,
    ImapPoller,
  ],
  exports: [IntakePipeline, IntakeSweeper, ImapPoller],
})
export class EmailIntakeWorkerModule {}
