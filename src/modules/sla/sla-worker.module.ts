import { Module } from '@nestjs/common';
import { SlaChecker } from './sla-checker';
import { SlaTicker } from './sla-ticker';
import { SlaProcessor } from './sla.processor';
import { SlaModule } from './sla.module';
import { SmsSender } from './sms-sender';
import { SmsTransport } from './sms-transport';

/** The SLA queue's processor, the per-process poll and watchdog, and texts; loaded only in processes that run workers. */
@Module({ imports: [SlaModule], providers: [SlaChecker, SlaTicker, SlaProcessor, SmsSender, SmsTransport] })
export class SlaWorkerModule {}
