import { Module } from '@nestjs/common';
import { SlaChecker } from './sla-checker';
import { SlaTicker } from './sla-ticker';
import { SlaProcessor } from './sla.processor';
import { SlaModule } from './sla.module';

/** The SLA queue's processor and the per-process poll and watchdog; loaded only in processes that run workers. */
@Module({ imports: [SlaModule], providers: [SlaChecker, SlaTicker, SlaProcessor] })
export class SlaWorkerModule {}
