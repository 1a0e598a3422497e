import { Module } from '@nestjs/common';
import { IncidentLifecycleProcessor } from './incident-lifecycle.processor';
import { IncidentsModule } from './incidents.module';

/** The incident lifecycle processor (auto-close); loaded only in processes that run workers. */
@Module({ imports: [IncidentsModule], providers: [IncidentLifecycleProcessor] })
export class IncidentsWorkerModule {}
