import { Module } from '@nestjs/common';
import { InboundRows } from './inbound-rows';
import { InboundStore } from './inbound-store.service';
import { IntakeLogController } from './intake-log.controller';
import { IntakeLogService } from './intake-log.service';
import { IntakeSettings } from './intake-settings';
import { SmtpIntakeServer } from './smtp-intake.server';
import { TriageSite } from './triage-site';

/**
 * Email intake, the receiving side (every role): the SMTP listener (which listens only in roles that serve
 * HTTP), the raw store, the intake log API, and the triage site (shared with phone and SMS intake). The pipeline runs in EmailIntakeWorkerModule.
 */
@Module({
  controllers: [IntakeLogController],
  providers: [IntakeSettings, InboundStore, InboundRows, IntakeLogService, SmtpIntakeServer, TriageSite],
  exports: [IntakeSettings, InboundStore, InboundRows, SmtpIntakeServer, IntakeLogService, TriageSite],
})
export class EmailIntakeModule {}
