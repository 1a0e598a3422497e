import type { Page } from '../../../common/http/pagination';
import type { IntakeMessageDto } from '../../intake/email/dto/intake-message.dto';
import type { InboundStatus } from '../../intake/email/inbound-message.entity';
import { formatDateTime } from '../domain/london-time';

/** The intake log's tabs: which statuses each shows. */
const FILTERS = {
  problems: { label: 'Failed and refused', statuses: ['failed', 'refused'] },
  failed: { label: 'Failed', statuses: ['failed'] },
  refused: { label: 'Refused', statuses: ['refused'] },
  processed: { label: 'Processed', statuses: ['processed'] },
  all: { label: 'All mail', statuses: undefined },
} as const satisfies Record<string, { label: string; statuses: readonly InboundStatus[] | undefined }>;
export type IntakeFilter = keyof typeof FILTERS;

const STATUS_LABELS: Record<InboundStatus, string> = {
  received: 'Waiting',
  processing: 'Being processed',
  processed: 'Processed',
  refused: 'Refused',
  failed: 'Failed',
};

/** The `status` of the list's address (default: failed and refused); null for anything else. */
export function readIntakeFilter(
  value: unknown,
): { key: IntakeFilter; statuses: InboundStatus[] | undefined } | null {
  const key = value === undefined || value === '' ? 'problems' : value;
  if (typeof key !== 'string' || !Object.hasOwn(FILTERS, key)) return null;
  const filter = FILTERS[key as IntakeFilter];
  return { key: key as IntakeFilter, statuses: filter.statuses ? [...filter.statuses] : undefined };
}

const truncate = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const incidentLink = (reference: string | null) =>
  reference ? { reference, href: `/console/incidents/${reference}` } : null;

function statusView(status: InboundStatus): { label: string; className: string; retryable: boolean } {
  return {
    label: STATUS_LABELS[status],
    className: `intake-${status}`,
    retryable: status === 'failed' || status === 'refused',
  };
}

export function intakeListView(filter: IntakeFilter, page: Page<IntakeMessageDto>): object {
  return {
    tabs: Object.entries(FILTERS).map(([key, f]) => ({
      href: `/console/admin/intake?status=${key}`,
      label: f.label,
      current: key === filter,
    })),
    heading: FILTERS[filter].label,
    rows: page.items.map((m) => ({
      href: `/console/admin/intake/${m.id}`,
      received: formatDateTime(m.receivedAt),
      receivedIso: m.receivedAt,
      from: m.sender ?? m.envelopeFrom ?? 'unknown sender',
      subject: m.subject ?? '(no subject)',
      status: statusView(m.status),
      outcome: truncate(m.error ?? m.reason ?? m.decision ?? '', 160),
      incident: incidentLink(m.incident),
      attempts: m.attempts,
    })),
    next: page.nextCursor
      ? `/console/admin/intake?status=${filter}&cursor=${encodeURIComponent(page.nextCursor)}`
      : null,
  };
}

export function intakeMessageView(m: IntakeMessageDto): object {
  return {
    id: m.id,
    subject: m.subject ?? '(no subject)',
    status: statusView(m.status),
    facts: [
      ['Received', formatDateTime(m.receivedAt)],
      ['Through', `${m.source.toUpperCase()}, mailbox ${m.mailbox}`],
      ['From', m.sender ?? '(not read)'],
      ['Envelope', `${m.envelopeFrom ?? '(none)'} → ${m.envelopeTo.join(', ') || '(none)'}`],
      ['Message-ID', m.messageId ?? '(none)'],
      [
        'Sender vouched for',
        m.senderVerified === null ? 'Not asked' : m.senderVerified ? 'Yes, by the relay' : 'No',
      ],
      ['Kind', m.kind ?? '(not classified)'],
      ['Decision', m.decision ?? '(none yet)'],
      ['Reason', m.reason ?? '(none)'],
      ['Size', `${Math.max(1, Math.round(m.size / 1024))} KB`],
      ['Attempts', String(m.attempts)],
      ['Finished', m.processedAt ? formatDateTime(m.processedAt) : 'Not yet'],
    ].map(([term, detail]) => ({ term, detail })),
    error: m.error,
    incident: incidentLink(m.incident),
    duplicateOf: m.duplicateOf ? `/console/admin/intake/${m.duplicateOf}` : null,
    log: m.log.map((e) => ({
      step: e.step,
      name: e.name,
      decision: e.decision,
      reason: e.reason,
      at: formatDateTime(e.at),
      atIso: e.at,
    })),
    rawHref: `/console/admin/intake/${m.id}/raw`,
    retryAction: `/console/admin/intake/${m.id}/retry`,
  };
}
