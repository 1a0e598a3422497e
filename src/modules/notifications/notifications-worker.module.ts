import { Module } from '@nestjs/common';

/** The mail queue's processor and sweeper; loaded only in processes that run workers. */
@Module({})
export class NotificationsWorkerModule {}
