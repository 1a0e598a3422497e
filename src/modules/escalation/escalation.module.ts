import { Module } from '@nestjs/common';
import { EscalationParticipant } from './escalation-participant';

/** Escalations to suppliers. So far: who a supplier user may see (through IncidentScope). */
@Module({ providers: [EscalationParticipant] })
export class EscalationModule {}
