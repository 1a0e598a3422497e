import type { ParsedMail } from 'mailparser';
import type { incidentBody } from './domain/intake-text';
import type { InboundMail } from './domain/inbound-mail';
import type { ClaimedRow } from './inbound-rows';
import type { PendingOutcome } from './intake-effects.service';
import type { MailFacts } from './intake-lookups';
import type { StepLog } from './step-log';

/** A person's mail: its trimmed body and what MAIL_FACTS read for it. */
export interface Person {
  body: ReturnType<typeof incidentBody>;
  facts: MailFacts;
}

/** Parsed once per run and handed from step to step. */
export interface Run {
  claim: ClaimedRow;
  log: StepLog;
  parsed: ParsedMail;
  mail: InboundMail;
  sender: string | null;
  pending: PendingOutcome;
}
