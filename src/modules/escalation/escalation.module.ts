import { Module } from '@nestjs/common';
import { DirectoryModule } from '../directory/directory.module';
import { IncidentsModule } from '../incidents/incidents.module';
import { NotificationsModule } from '../notifications/notifications.module';
import { SlaModule } from '../sla/sla.module';
import { AutoEscalation } from './auto-escalation';
import { ContractClocks } from './contract-clocks';
import { DeskAlerts } from './desk-alerts';
import { EscalationDelivery } from './escalation-delivery';
import { EscalationParticipant } from './escalation-participant';
import { EscalationsController } from './escalations.controller';
import { EscalationsService } from './escalations.service';
import { EscalationRoutesController, SupplierContractsController } from './supplier-admin.controller';
import { ReplyForwarder } from './reply-forwarder';
import { SupplierAdmin } from './supplier-admin.service';
import { SupplierQueues } from './supplier-queues';
import { SupplierSignatureGuard } from './supplier-signature.guard';
import { SupplierUpdates } from './supplier-updates.service';
import { SupplierWebhookController } from './supplier-webhook.controller';
import { SupplierWorkers } from './supplier-workers';

const SHARED = [
  SupplierQueues,
  DeskAlerts,
  ReplyForwarder,
  EscalationDelivery,
  EscalationsService,
  AutoEscalation,
  SupplierUpdates,
  SupplierAdmin,
];

/**
 * Escalations to suppliers (every role): escalating (API and routing rules), suppliers' signed updates, contract
 * targets, routing rules, the scorecard, and the incident participant (supplier scope, the `escalations` block,
 * auto-escalation). Deliveries and contract clocks run in EscalationWorkerModule. Imports incidents; incidents
 * never imports it.
 */
@Module({
  imports: [IncidentsModule, DirectoryModule, NotificationsModule, SlaModule],
  controllers: [
    EscalationsController,
    SupplierWebhookController,
    SupplierContractsController,
    EscalationRoutesController,
  ],
  providers: [...SHARED, SupplierSignatureGuard, EscalationParticipant],
  exports: SHARED,
})
export class EscalationModule {}

/** The acting side (worker roles): one queue worker per supplier, the lost-delivery sweep, the contract clocks. */
@Module({
  imports: [EscalationModule],
  providers: [SupplierWorkers, ContractClocks],
})
export class EscalationWorkerModule {}
