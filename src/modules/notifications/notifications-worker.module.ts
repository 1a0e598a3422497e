import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MailSender } from './mail-sender';
import { MailSweeper } from './mail-sweeper';
import { MailTransport } from './mail-transport';
import { MailProcessor } from './mail.processor';
import { NotificationsModule } from './notifications.module';
import { OutboundMessage } from './outbound-message.entity';

/** The mail queue's processor and sweeper; loaded only in processes that run workers. */
@Module({
  imports: [NotificationsModule, TypeOrmModule.forFeature([OutboundMessage])],
  providers: [MailTransport, MailSender, MailSweeper, MailProcessor],
  exports: [MailSender, MailSweeper],
})
export class NotificationsWorkerModule {}
