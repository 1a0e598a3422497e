import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { formatReference, parseReference } from '../../incidents/domain/incident-reference';
import { DESK_ROLES } from '../../users/domain/roles';
import {
  escalationsBySupplierReference,
  supplierEmailsSql,
  supplierReferencePatterns,
} from '../../escalation/escalation-sql';
import { incidentReferences } from '../../incidents/facts/incident-facts';
import { referencesInSubject } from './domain/incident-reference';
import { InboundMail } from './domain/inbound-mail';
import type { DedupeKey } from './domain/normalise-message-id';
import type { SiteFacts } from './domain/place-mail';
import { siteCodeFromText, trustFromDomain } from './domain/site-hint';
import { supplierPatternsFor } from './domain/supplier-patterns';
import {
  supplierReferenceKey,
  supplierReferencesIn,
  type ThreadContext,
  type ThreadIncident,
} from './domain/thread-mail';
import { dedupeHolderSql } from './inbound-rows';
import { IntakeSettings } from './intake-settings';
import { runPrepared, type PreparedStatement } from '../../../database/prepared-statement';

/** An incident as the pipeline needs it after threading. */
export interface ThreadedIncident extends ThreadIncident {
  id: string;
  reference: string;
}

/**
 * A person's mail, in one statement: the dedupe holder ($3 mailbox, $4 key, $5 this message's id, $7 its content
 * fingerprint; a row stored before fingerprints existed has none and holds its key, or $8 the legacy key, alone), SenderFacts
 * ($1 the sender's address in lower case or null, $2 the desk roles) and whether the site code written in the
 * mail ($6, or null) is an active site.
 */
const MAIL_FACTS: PreparedStatement = {
  name: 'intake_mail_facts',
  text: `SELECT ${dedupeHolderSql({ mailbox: '$3', key: '$4', except: '$5', fingerprint: '$7', legacyKey: '$8' })} AS holder,
       EXISTS (SELECT 1 FROM site WHERE code = $6 AND active) AS text_code_known,
       EXISTS (SELECT 1 FROM app_user WHERE lower(email) = $1 AND active AND role = ANY($2)) AS agent,
       c.id AS contact_id, c.name AS contact_name, CASE WHEN s.active THEN s.code END AS site_code,
       (SELECT until FROM mail_suppression WHERE email = $1) AS until,
       (SELECT count(*)::int FROM outbound_message WHERE to_address = $1 AND automatic AND created_at > now() - interval '1 hour') AS sent
     FROM (SELECT 1) one LEFT JOIN contact c ON c.email = $1 LEFT JOIN site s ON s.id = c.usual_site_id`,
};

/** What MAIL_FACTS reads. */
export interface MailFacts {
  /** Another stored message with the same dedupe key, or null. */
  holder: string | null;
  sender: SenderFacts;
  /** The site code written in the mail (null when none), and whether it names an active site. */
  textCode: string | null;
  textCodeKnown: boolean;
}

export interface SenderFacts {
  isAgent: boolean;
  contact: SenderContact | null;
  ack: { bouncingUntil: Date | null; sentInLastHour: number };
}

export interface SenderContact {
  id: string;
  name: string;
  usualSiteCode: string | null;
}

/** How many Message-IDs of a References chain are looked up (the newest ones). */
const MAX_THREAD_IDS = 50;
/** Trust mail domains and active service codes change rarely: read at most this often. */
const DIRECTORY_CACHE_MS = 30_000;

/**
 * The reads the pipeline's decisions need, each one query (or a few): what threading, placing and the
 * acknowledgement policy are decided on. No writes.
 */
@Injectable()
export class IntakeLookups {
  private trustDomains: { at: number; value: Promise<Record<string, string>> } | null = null;
  private services: { at: number; value: Promise<Set<string>> } | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly settings: IntakeSettings,
  ) {}

  /**
   * Everything `threadMail` needs for this mail, plus the candidate incidents by reference. `senderIsAgent`, when
   * the caller has read it already (`sender`), saves looking it up again.
   */
  async threadContext(
    mail: InboundMail,
    sender: string | null,
    senderVerified: boolean,
    senderIsAgent?: boolean,
  ): Promise<{ context: ThreadContext; incidents: Map<string, ThreadedIncident> }> {
    const ids = [...new Set([...mail.inReplyTo, ...mail.references.slice(-MAX_THREAD_IDS)])];
    const byMessageId = new Map<string, string>();
    if (ids.length > 0) {
      const rows: { id: string; number: string }[] = await this.db.query(
        `SELECT substr(o.message_id, 2, length(o.message_id) - 2) AS id, i.number
           FROM outbound_message o JOIN incident i ON i.id = o.incident_id WHERE o.message_id = ANY($1)
         UNION ALL
         SELECT m.message_id AS id, i.number
           FROM inbound_message m JOIN incident i ON i.id = m.incident_id WHERE m.mailbox = $2 AND m.message_id = ANY($3)`,
        [ids.map((id) => `<${id}>`), this.settings.mailbox, ids],
      );
      for (const row of rows) byMessageId.set(row.id, formatReference(row.number));
    }

    // Only verified mail threads by a supplier's reference (threadMail): the patterns are read for it alone.
    const supplierPatterns =
      sender !== null && senderVerified
        ? supplierPatternsFor(
            await supplierReferencePatterns(this.db.manager),
            this.settings.supplierPatterns,
          )
        : [];
    const supplierRefs = [
      ...new Set(supplierReferencesIn(mail, sender, supplierPatterns).map((r) => r.reference)),
    ];
    const bySupplierRef = new Map<string, string>();
    if (supplierRefs.length > 0) {
      const escalations = await escalationsBySupplierReference(this.db.manager, supplierRefs);
      const references = await incidentReferences(
        this.db.manager,
        escalations.map((e) => e.incidentId),
      );
      for (const e of escalations) {
        const reference = references.get(e.incidentId);
        if (reference)
          bySupplierRef.set(supplierReferenceKey(e.supplierCode, e.supplierReference), reference);
      }
    }

    const candidates = [
      ...new Set([...byMessageId.values(), ...bySupplierRef.values(), ...referencesInSubject(mail.subject)]),
    ];
    const incidents = await this.incidentsByReference(candidates);
    const agentEmails = new Set<string>();
    if (sender !== null && senderIsAgent !== undefined) {
      if (senderIsAgent) agentEmails.add(sender);
    } else if (sender !== null) {
      const agents: { email: string }[] = await this.db.query(
        'SELECT lower(email) AS email FROM app_user WHERE lower(email) = $1 AND active AND role = ANY($2)',
        [sender, DESK_ROLES],
      );
      for (const a of agents) agentEmails.add(a.email);
    }
    return {
      context: {
        ourMessageIdDomain: this.settings.classify.ourMessageIdDomain,
        incidentsByMessageId: byMessageId,
        incidents,
        agentEmails,
        supplierPatterns,
        incidentsBySupplierReference: bySupplierRef,
        senderVerified,
      },
      incidents,
    };
  }

  async incidentsByReference(references: readonly string[]): Promise<Map<string, ThreadedIncident>> {
    const numbers = references.map(parseReference).filter((n): n is number => n !== null);
    const map = new Map<string, ThreadedIncident>();
    if (numbers.length === 0) return map;
    const rows: {
      id: string;
      number: string;
      status: string;
      resolved_at: Date | null;
      closed_at: Date | null;
      reporter_email: string | null;
      copied: string[] | null;
      suppliers: string[] | null;
    }[] = await this.db.query(
      `SELECT i.id, i.number, i.status, i.resolved_at, i.closed_at, i.reporter_email,
                (SELECT array_agg(p.email) FROM incident_participant p WHERE p.incident_id = i.id) AS copied,
                ${supplierEmailsSql('i')} AS suppliers
           FROM incident i WHERE i.number = ANY($1::bigint[])`,
      [numbers],
    );
    for (const r of rows) {
      const reference = formatReference(r.number);
      map.set(reference, {
        id: r.id,
        reference,
        status: r.status,
        resolvedAt: r.resolved_at,
        closedAt: r.closed_at,
        reporterEmail: r.reporter_email,
        copiedEmails: r.copied ?? [],
        supplierEmails: r.suppliers ?? [],
      });
    }
    return map;
  }

  /** The incident one of our Message-IDs (normalised, without brackets) was sent for. */
  async incidentOfOurMessageIds(ids: readonly string[]): Promise<ThreadedIncident | null> {
    if (ids.length === 0) return null;
    const rows: { number: string }[] = await this.db.query(
      'SELECT i.number FROM outbound_message o JOIN incident i ON i.id = o.incident_id WHERE o.message_id = ANY($1) ORDER BY o.created_at DESC LIMIT 1',
      [ids.map((id) => `<${id}>`)],
    );
    if (!rows[0]) return null;
    return (await this.incidentsByReference([formatReference(rows[0].number)])).values().next().value ?? null;
  }

  /**
   * What a person's mail needs before threading, in one round trip: whether it is a duplicate, whether the sender
   * is desk staff, their contact (with the usual site when it is active), what the acknowledgement policy needs
   * about them as a recipient, and whether the site code written in the mail (subject or trimmed body) exists.
   */
  async mailFacts(
    message: { id: string; mailbox: string; key: DedupeKey },
    sender: string | null,
    subject: string,
    body: string,
  ): Promise<MailFacts> {
    const textCode = siteCodeFromText(subject, body);
    const [row] = await runPrepared<{
      holder: string | null;
      text_code_known: boolean;
      agent: boolean;
      contact_id: string | null;
      contact_name: string | null;
      site_code: string | null;
      until: Date | null;
      sent: number;
    }>(this.db, null, MAIL_FACTS, [
      sender,
      DESK_ROLES,
      message.mailbox,
      message.key.key,
      message.id,
      textCode,
      message.key.fingerprint,
      message.key.legacyKey,
    ]);
    return {
      holder: row.holder,
      sender: {
        isAgent: row.agent,
        contact:
          row.contact_id === null
            ? null
            : { id: row.contact_id, name: row.contact_name ?? '', usualSiteCode: row.site_code },
        ack: { bouncingUntil: row.until, sentInLastHour: row.sent },
      },
      textCode,
      textCodeKnown: row.text_code_known,
    };
  }

  /** Where the mail could be placed: the written site code (from mailFacts), the contact's usual site, the sender's trust. */
  async siteFacts(
    written: Pick<MailFacts, 'textCode' | 'textCodeKnown'>,
    sender: string | null,
    contact: SenderContact | null,
  ): Promise<SiteFacts> {
    let domainTrust: SiteFacts['domainTrust'] = null;
    // The sender's trust only matters when neither a written code nor the contact places the mail (placeMail).
    if (sender !== null && !written.textCodeKnown && (contact?.usualSiteCode ?? null) === null) {
      let trustCode = trustFromDomain(sender, await this.trustDomainMap());
      // A domain added since the map was read: look again (at most once a second).
      if (trustCode === null && this.trustDomains && Date.now() - this.trustDomains.at > 1_000) {
        this.trustDomains = null;
        trustCode = trustFromDomain(sender, await this.trustDomainMap());
      }
      if (trustCode !== null) {
        const sites: { code: string }[] = await this.db.query(
          'SELECT s.code FROM site s JOIN trust t ON t.id = s.trust_id WHERE t.code = $1 AND s.active ORDER BY s.code',
          [trustCode],
        );
        domainTrust = { code: trustCode, siteCodes: sites.map((s) => s.code) };
      }
    }
    return {
      textCode: written.textCode,
      textCodeKnown: written.textCodeKnown,
      contactSite: contact?.usualSiteCode ?? null,
      domainTrust,
    };
  }

  async activeServiceCodes(): Promise<Set<string>> {
    if (!this.services || Date.now() - this.services.at > DIRECTORY_CACHE_MS) {
      const value = this.db
        .query('SELECT code FROM service WHERE active')
        .then((rows: { code: string }[]) => new Set(rows.map((r) => r.code)));
      this.services = { at: Date.now(), value };
      value.catch(() => (this.services = null));
    }
    return this.services.value;
  }

  /** Mail domain → trust code, from every trust's `email_domains`. */
  private trustDomainMap(): Promise<Record<string, string>> {
    if (!this.trustDomains || Date.now() - this.trustDomains.at > DIRECTORY_CACHE_MS) {
      const value = this.db
        .query("SELECT code, email_domains FROM trust WHERE email_domains <> '{}'")
        .then((trusts: { code: string; email_domains: string[] }[]) =>
          Object.fromEntries(trusts.flatMap((t) => t.email_domains.map((d) => [d, t.code] as const))),
        );
      this.trustDomains = { at: Date.now(), value };
      value.catch(() => (this.trustDomains = null));
    }
    return this.trustDomains.value;
  }
}
