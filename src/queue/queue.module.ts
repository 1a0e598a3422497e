import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { prepareQueueBackend } from './queue-connection';
import { ALL_QUEUES } from './queue-names';
import { WorkerShutdown } from './worker-shutdown';

const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));

/** Registers BullMQ on the backend this run mode uses, and every queue, once for the whole app; stops workers with a deadline. */
@Global()
@Module({
  imports: [
    DiscoveryModule,
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => prepareQueueBackend(config),
    }),
    queues,
  ],
  providers: [WorkerShutdown],
  exports: [queues],
})
export class QueueModule {}
