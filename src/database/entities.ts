import { Attachment } from '../modules/attachments/attachment.entity';
import { AuditEntry } from '../modules/audit/audit-entry.entity';
import { LoginThrottleEntry } from '../modules/auth/login-throttle.entity';
import { ConsoleSession } from '../modules/console/sessions/console-session.entity';
import { Contact } from '../modules/directory/contact.entity';
import { ReportSubmission } from '../modules/intake/web/report-submission.entity';
import { ApiIdempotency } from '../modules/incidents/create/api-idempotency.entity';
import { Service } from '../modules/directory/service.entity';
import { SiteClass } from '../modules/directory/site-class.entity';
import { SitePhoneNumber } from '../modules/directory/site-phone-number.entity';
import { Site } from '../modules/directory/site.entity';
import { Supplier } from '../modules/directory/supplier.entity';
import { Trust } from '../modules/directory/trust.entity';
import { Escalation } from '../modules/escalation/escalation.entity';
import { EscalationRoute } from '../modules/escalation/escalation-route.entity';
import { SupplierClock } from '../modules/escalation/supplier-clock.entity';
import { SupplierContractTarget } from '../modules/escalation/supplier-contract-target.entity';
import { SupplierUpdate } from '../modules/escalation/supplier-update.entity';
import { IncidentEvent } from '../modules/incidents/incident-event.entity';
import { Incident } from '../modules/incidents/incident.entity';
import { OutboundMessage } from '../modules/notifications/outbound-message.entity';
import { IncidentSla } from '../modules/sla/entities/incident-sla.entity';
import { OutboundSms } from '../modules/notifications/sms/outbound-sms.entity';
import { SmsOptOut } from '../modules/notifications/sms/sms-opt-out.entity';
import { SlaCalendar } from '../modules/sla/entities/sla-calendar.entity';
import { SlaEvent } from '../modules/sla/entities/sla-event.entity';
import { SlaHolidayOverride } from '../modules/sla/entities/sla-holiday-override.entity';
import { SlaPolicyVersion } from '../modules/sla/entities/sla-policy-version.entity';
import { SlaPolicy } from '../modules/sla/entities/sla-policy.entity';
import { ReportPack } from '../modules/reporting/report-pack.entity';
import { ReportDelivery } from '../modules/reporting/delivery/report-delivery.entity';
import { ReportSubscription } from '../modules/reporting/delivery/report-subscription.entity';
import { SlaOpenPeriod, SlaOpenPeriodYear } from '../modules/sla/entities/sla-open-period.entity';
import { ImapCursor } from '../modules/intake/email/imap-cursor.entity';
import { InboundSms } from '../modules/intake/phone/inbound-sms.entity';
import { PhoneCall } from '../modules/intake/phone/phone-call.entity';
import { SmsSubscription } from '../modules/intake/phone/sms-subscription.entity';
import { TwilioWebhook } from '../modules/intake/phone/twilio-webhook.entity';
import { InboundMessage } from '../modules/intake/email/inbound-message.entity';
import { IncidentParticipant } from '../modules/intake/email/incident-participant.entity';
import { MailSuppression } from '../modules/intake/email/mail-suppression.entity';
import { AppSecret } from '../modules/system/app-secret.entity';
import { User } from '../modules/users/user.entity';

/** Every entity, listed once: the app, the migration CLI and the tests load the same set. */
export const ENTITIES = [
  Trust,
  SiteClass,
  Site,
  SitePhoneNumber,
  Supplier,
  Service,
  Contact,
  ReportSubmission,
  ApiIdempotency,
  User,
  LoginThrottleEntry,
  ConsoleSession,
  AppSecret,
  Incident,
  IncidentEvent,
  AuditEntry,
  Attachment,
  OutboundMessage,
  Escalation,
  EscalationRoute,
  SupplierClock,
  SupplierContractTarget,
  SupplierUpdate,
  InboundMessage,
  MailSuppression,
  IncidentParticipant,
  ImapCursor,
  SlaCalendar,
  SlaHolidayOverride,
  SlaPolicy,
  SlaPolicyVersion,
  IncidentSla,
  SlaEvent,
  SlaOpenPeriod,
  SlaOpenPeriodYear,
  ReportPack,
  ReportSubscription,
  ReportDelivery,
  OutboundSms,
  SmsOptOut,
  PhoneCall,
  TwilioWebhook,
  SmsSubscription,
  InboundSms,
];
