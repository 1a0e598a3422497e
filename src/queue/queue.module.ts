import { BullModule } from '@nestjs/bullmq';
import { Global, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { queueRootOptions } from './queue-connection';
import { ALL_QUEUES } from './queue-names';

const queues = BullModule.registerQueue(...ALL_QUEUES.map((name) => ({ name })));

/** Registers BullMQ on the backend this run mode uses, and every queue, once for the whole app. */
@Global()
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => queueRootOptions(config),
    }),
    queues,
  ],
  exports: [queues],
})
export class QueueModule {}
