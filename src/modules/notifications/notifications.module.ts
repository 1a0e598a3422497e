import { Module } from '@nestjs/common';

/** Outbound mail: writing outbound_message rows in the caller's transaction and queueing them for sending. */
@Module({})
export class NotificationsModule {}
