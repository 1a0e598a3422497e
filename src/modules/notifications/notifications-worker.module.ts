import { Module } from '@nestjs/common';
import { MailSender } from './mail-sender';
import { MailSweeper } from './mail-sweeper';
import { MailTransport } from './mail-transport';
import { MailProcessor } from './mail.processor';
import { NotificationsModule } from './notifications.module';
import { SmsSender } from './sms/sms-sender';
import { SmsSettings } from './sms/sms-settings';
import { SmsSweeper } from './sms/sms-sweeper';
import { SmsTransport } from './sms/sms-transport';
import { SmsProcessor } from './sms/sms.processor';

/** The mail and text queues' processors and sweepers; loaded only in processes that run workers. */
@Module({
  imports: [NotificationsModule],
  providers: [
    MailTransport,
    MailSender,
    MailSweeper,
    MailProcessor,
    SmsSettings,
    SmsTransport,
    SmsSender,
    SmsSweeper,
    SmsProcessor,
  ],
  exports: [MailSender, MailSweeper, SmsSender, SmsSweeper],
})
export class NotificationsWorkerModule {}
