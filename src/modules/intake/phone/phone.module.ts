import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DirectoryModule } from '../../directory/directory.module';
import { IncidentsModule } from '../../incidents/incidents.module';
import { NotificationsModule } from '../../notifications/notifications.module';
import { EmailIntakeModule } from '../email/email-intake.module';
import { CallEnder } from './call-ender';
import { CallIncidents } from './call-incidents.service';
import { CallStore } from './call-store';
import { CallSweeper } from './call-sweeper';
import { CallsController } from './calls.controller';
import { CallsService } from './calls.service';
import { InboundSms } from './inbound-sms.entity';
import { PhoneCall } from './phone-call.entity';
import { OnCallAlerts } from './on-call-alerts';
import { PhoneLookups } from './phone-lookups';
import { PhoneParticipant } from './phone-participant';
import { PhoneSettings } from './phone-settings';
import { SmsIntakeService } from './sms-intake.service';
import { SmsStatusService } from './sms-status.service';
import { SmsSubscription } from './sms-subscription.entity';
import { Subscriptions } from './subscriptions';
import { TwilioSignatureGuard } from './twilio-signature.guard';
import { TwilioWebhook } from './twilio-webhook.entity';
import { TwilioController } from './twilio.controller';
import { Twiml } from './twiml';
import { VoiceService } from './voice.service';
import { WebhookReplies } from './webhook-replies';

/**
 * Phone and SMS intake (every role): Twilio's voice and SMS webhooks, the call log API, and the incident participant
 * that texts subscribers and adds `calls` to the incident JSON, and the one that texts P1 alerts to on-call numbers. Imports incidents; incidents never imports it.
 * The idle-call sweeper runs in PhoneWorkerModule.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([PhoneCall, TwilioWebhook, SmsSubscription, InboundSms]),
    IncidentsModule,
    DirectoryModule,
    NotificationsModule,
    EmailIntakeModule,
  ],
  controllers: [TwilioController, CallsController],
  providers: [
    PhoneSettings,
    TwilioSignatureGuard,
    Twiml,
    WebhookReplies,
    CallStore,
    PhoneLookups,
    Subscriptions,
    CallIncidents,
    CallEnder,
    VoiceService,
    SmsIntakeService,
    SmsStatusService,
    CallsService,
    PhoneParticipant,
    OnCallAlerts,
  ],
  exports: [CallEnder, CallStore, WebhookReplies, PhoneSettings],
})
export class PhoneModule {}

/** The idle-call sweeper: only in processes that run workers. */
@Module({
  imports: [PhoneModule],
  providers: [CallSweeper],
  exports: [CallSweeper],
})
export class PhoneWorkerModule {}
