import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { SITE_CLASSES, type SiteClassCode } from '../../directory/site-class.entity';
import {
  CHANNELS,
  IMPACTS,
  PRIORITIES,
  RESOLUTION_CODES,
  STATUSES,
  URGENCIES,
  type Channel,
  type Impact,
  type IncidentStatus,
  type Priority,
  type ResolutionCode,
  type Urgency,
} from '../domain/incident-enums';
import { EVENT_KINDS, SYSTEM_EVENTS, type EventKind, type SystemEventType } from '../incident-event.entity';
import type { IncidentExtensions } from '../participants/incident-participant';

export class IncidentSiteDto {
  @ApiProperty({ example: '2001' }) code: string;
  @ApiProperty({ example: 'Fulwood Health Centre' }) name: string;
  @ApiProperty({ enum: SITE_CLASSES }) class: SiteClassCode;
}

export class CodeNameDto {
  @ApiProperty({ example: 'CLN' }) code: string;
  @ApiProperty({ example: 'NHS Central Lancashire' }) name: string;
}

export class ReporterViewDto {
  @ApiProperty({ example: 'Dr Asha Patel' }) name: string;
  @ApiPropertyOptional({ nullable: true, type: String }) email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) phone: string | null;
}

export class AssigneeDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'Sam Agent' }) name: string;
  @ApiProperty({ example: 'sam.agent@rosedesk.local' }) email: string;
}

export class ResolutionViewDto {
  @ApiProperty({ enum: RESOLUTION_CODES }) code: ResolutionCode;
  @ApiProperty() notes: string;
}

export class IncidentDto {
  @ApiProperty({ example: 'INC-000123' }) reference: string;
  @ApiProperty({ enum: STATUSES }) status: IncidentStatus;
  @ApiProperty({ enum: PRIORITIES }) priority: Priority;
  @ApiProperty({ enum: IMPACTS }) impact: Impact;
  @ApiProperty({ enum: URGENCIES }) urgency: Urgency;
  @ApiProperty({ enum: CHANNELS }) channel: Channel;
  @ApiProperty({ example: '2026-11-25T09:12:00.000Z' }) reportedAt: string;
  @ApiProperty({ type: IncidentSiteDto }) site: IncidentSiteDto;
  @ApiProperty({ type: CodeNameDto }) trust: CodeNameDto;
  @ApiProperty({ example: 'wireless' }) service: string;
  @ApiProperty({ example: 'Wi-Fi down in the outpatients waiting area' }) summary: string;
  @ApiProperty() description: string;
  @ApiProperty({ type: ReporterViewDto }) reporter: ReporterViewDto;
  @ApiPropertyOptional({ type: AssigneeDto, nullable: true }) assignee: AssigneeDto | null;
  @ApiProperty() priorityOverridden: boolean;
  @ApiPropertyOptional({ nullable: true, type: String }) priorityReason: string | null;
  @ApiPropertyOptional({ type: ResolutionViewDto, nullable: true }) resolution: ResolutionViewDto | null;
  @ApiPropertyOptional({ nullable: true, type: String }) resolvedAt: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closedAt: string | null;
  @ApiProperty({ enum: STATUSES, isArray: true, description: 'Statuses this incident may move to now' })
  allowedTransitions: IncidentStatus[];
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

/**
 * An incident as the API shows it: IncidentDto and the blocks the participants add (the SLA engine's `sla`, ...),
 * each documented in OpenAPI by the module that adds it.
 */
export type IncidentView = IncidentDto & IncidentExtensions;

export class TimelineEntryDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ enum: EVENT_KINDS }) kind: EventKind;
  @ApiPropertyOptional({ enum: SYSTEM_EVENTS, nullable: true }) event: SystemEventType | null;
  @ApiPropertyOptional({ nullable: true, type: String }) body: string | null;
  @ApiProperty({ example: 'Sam Agent' }) author: string;
  @ApiPropertyOptional({ nullable: true, type: Object }) data: Record<string, unknown> | null;
  @ApiProperty() at: string;
}

export class AuditEntryDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'incident.updated' }) action: string;
  @ApiProperty({ example: 'sam.agent@rosedesk.local' }) actor: string;
  @ApiProperty({ example: [{ field: 'priority', old: 'P3', new: 'P2' }] }) changes: {
    field: string;
    old: unknown;
    new: unknown;
  }[];
  @ApiProperty() at: string;
}
