import { Injectable } from '@nestjs/common';
import { AppConfig } from '../../../config/app-config';
import { bareAddress } from '../../notifications/domain/outbound-mail';
import type { ClassifyContext } from './domain/classify-mail';
import type { AckLimits } from './domain/ack-policy';
import { parseSupplierPatterns } from './domain/supplier-patterns';
import type { SupplierReferencePattern } from './domain/thread-mail';

/** Email intake's settings, read once from the validated environment. */
@Injectable()
export class IntakeSettings {
  /** INTAKE_ADDRESSES, lower case. */
  readonly addresses: readonly string[];
  /** The desk's one logical mailbox (first intake address): the dedupe scope of every source. */
  readonly mailbox: string;
  readonly classify: ClassifyContext;
  readonly ackLimits: AckLimits;
  readonly supplierPatterns: readonly SupplierReferencePattern[];
  readonly maxBytes: number;
  readonly maxHeaderLines: number;
  /** INTAKE_SMTP_MESSAGES_PER_MINUTE: per client address; 0 is no limit. */
  readonly smtpMessagesPerMinute: number;
  /** INTAKE_TRUSTED_AUTHSERV_IDS, lower case: whose Authentication-Results verify a sender. */
  readonly trustedAuthservIds: readonly string[];
  readonly reopenWindowMinutes: number;
  readonly bounceSuppressionMs: number;
  readonly triageSiteCode: string;
  readonly defaults: {
    service: string;
    impact: 'site_down' | 'several_users' | 'one_user';
    urgency: 'high' | 'medium' | 'low';
  };
  readonly attachmentMaxBytes: number;
  readonly incidentAttachmentsMaxBytes: number;

  constructor(config: AppConfig) {
    const env = config.env;
    this.addresses = env.INTAKE_ADDRESSES.split(',')
      .map((a) => a.trim().toLowerCase())
      .filter((a) => a !== '');
    this.mailbox = this.addresses[0] ?? 'servicedesk@rosedesk.local';
    this.classify = {
      ourMessageIdDomain: env.MAIL_MESSAGE_ID_DOMAIN.trim().toLowerCase(),
      loopStamp: bareAddress(env.MAIL_FROM),
      intakeAddresses: this.addresses,
    };
    this.ackLimits = {
      perRecipientPerHour: env.INTAKE_ACK_PER_RECIPIENT_PER_HOUR,
      perIncident: env.INTAKE_ACK_PER_INCIDENT,
    };
    const patterns = parseSupplierPatterns(env.INTAKE_SUPPLIER_PATTERNS);
    this.supplierPatterns = patterns.ok ? patterns.patterns : [];
    this.maxBytes = env.INTAKE_MAX_BYTES;
    this.maxHeaderLines = env.INTAKE_MAX_HEADER_LINES;
    this.smtpMessagesPerMinute = env.INTAKE_SMTP_MESSAGES_PER_MINUTE;
    this.trustedAuthservIds = env.INTAKE_TRUSTED_AUTHSERV_IDS.split(',')
      .map((id) => id.trim().toLowerCase())
      .filter((id) => id !== '');
    this.reopenWindowMinutes = env.REOPEN_WINDOW_MINUTES;
    this.bounceSuppressionMs = env.INTAKE_BOUNCE_SUPPRESSION_HOURS * 3_600_000;
    this.triageSiteCode = env.INTAKE_TRIAGE_SITE_CODE;
    this.defaults = {
      service: env.INTAKE_DEFAULT_SERVICE,
      impact: env.INTAKE_DEFAULT_IMPACT,
      urgency: env.INTAKE_DEFAULT_URGENCY,
    };
    this.attachmentMaxBytes = env.ATTACHMENT_MAX_BYTES;
    this.incidentAttachmentsMaxBytes = env.INCIDENT_ATTACHMENTS_MAX_BYTES;
  }

  isDeskAddress(address: string): boolean {
    return this.addresses.includes(address.trim().toLowerCase());
  }
}
