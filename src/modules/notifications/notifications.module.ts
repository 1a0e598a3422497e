import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailTemplates } from './mail-templates';
import { NotificationsService } from './notifications.service';
import { OutboundMessage } from './outbound-message.entity';

/** Outbound mail: writing outbound_message rows in the caller's transaction and queueing them for sending. */
@Module({
  imports: [TypeOrmModule.forFeature([OutboundMessage])],
  providers: [NotificationsService, { provide: MailTemplates, useFactory: () => new MailTemplates() }],
  exports: [NotificationsService, MailTemplates],
})
export class NotificationsModule {}
