import { ApiProperty, getSchemaPath } from '@nestjs/swagger';

/** The OpenAPI description of the SLA report (the TypeScript shape is domain/sla-report.ts). */

export class TargetCountsDto {
  @ApiProperty() met: number;
  @ApiProperty() breached: number;
  @ApiProperty({ description: 'Still running and not yet breached' }) open: number;
  @ApiProperty({
    nullable: true,
    type: Number,
    description: 'met / (met + breached) × 100, one decimal; null when both 0',
  })
  metPercent: number | null;
}

export class MinuteStatsDto {
  @ApiProperty({ nullable: true, type: Number, description: 'Business minutes, one decimal' }) mean:
    number | null;
  @ApiProperty({ nullable: true, type: Number }) median: number | null;
  @ApiProperty({ nullable: true, type: Number, description: '90th percentile (linear interpolation)' })
  p90: number | null;
}

export class GroupFiguresDto {
  @ApiProperty() total: number;
  @ApiProperty({ type: TargetCountsDto }) response: TargetCountsDto;
  @ApiProperty({ type: TargetCountsDto }) resolution: TargetCountsDto;
  @ApiProperty({ type: MinuteStatsDto, description: 'Of the responses met (in time or late)' })
  respondMinutes: MinuteStatsDto;
  @ApiProperty({ type: MinuteStatsDto, description: 'Of the resolutions met (in time or late)' })
  resolveMinutes: MinuteStatsDto;
}

export class BreachDto {
  @ApiProperty({ example: 'INC-000123' }) reference: string;
  @ApiProperty({ description: 'Site name' }) site: string;
  @ApiProperty() siteCode: string;
  @ApiProperty({ example: 'P2' }) priority: string;
  @ApiProperty({ enum: ['response', 'resolution'] }) target: string;
  @ApiProperty({ description: 'The target, business minutes' }) targetMinutes: number;
  @ApiProperty({ description: 'Business minutes past the target (as of asOf for a running clock)' })
  minutesOver: number;
  @ApiProperty({
    example: 'supplier:vmb',
    description: "'desk', 'caller' or 'supplier:<code>': most of the clock",
  })
  heldBy: string;
}

export class MetBreachedDto {
  @ApiProperty() met: number;
  @ApiProperty() breached: number;
}

export class SupplierFiguresDto {
  @ApiProperty() escalations: number;
  @ApiProperty({ type: MetBreachedDto }) acknowledge: MetBreachedDto;
  @ApiProperty({ type: MetBreachedDto }) fix: MetBreachedDto;
  @ApiProperty({ description: 'The same per priority', additionalProperties: { type: 'object' } })
  byPriority: Record<string, unknown>;
}

export class BacklogDto {
  @ApiProperty({
    description: "Open at the period's end (reported by then, not resolved, closed or cancelled)",
  })
  open: number;
  @ApiProperty({
    description: "Open incidents by age at the period's end (elapsed time): 0-1d, 1-3d, 3-7d, 7-30d, 30d+",
    additionalProperties: { type: 'number' },
  })
  ageBuckets: Record<string, number>;
}

export class ClockHoldersDto {
  @ApiProperty({ description: 'Business minutes of the resolution clocks the desk held' }) desk: number;
  @ApiProperty({ description: 'Business minutes paused awaiting the caller' }) caller: number;
  @ApiProperty({ additionalProperties: { type: 'number' }, description: 'Per supplier code' })
  suppliers: Record<string, number>;
}

export class FrozenDto {
  @ApiProperty() version: number;
  @ApiProperty() hash: string;
  @ApiProperty() frozenAt: string;
}

export class TopSiteDto {
  @ApiProperty() code: string;
  @ApiProperty() name: string;
  @ApiProperty() incidents: number;
}

export class SlaReportDto {
  @ApiProperty({ nullable: true, type: String, description: 'Trust code; null for the whole partnership' })
  trust: string | null;
  @ApiProperty({ example: '2026-10-01' }) from: string;
  @ApiProperty({ example: '2026-10-31' }) to: string;
  @ApiProperty({ description: 'The instant running clocks were measured to' }) asOf: string;
  @ApiProperty({ description: 'Incidents reported in the period' }) total: number;
  @ApiProperty({ additionalProperties: { $ref: getSchemaPath(GroupFiguresDto) } })
  byPriority: Record<string, GroupFiguresDto>;
  @ApiProperty({ additionalProperties: { $ref: getSchemaPath(GroupFiguresDto) } })
  bySiteClass: Record<string, GroupFiguresDto>;
  @ApiProperty({ additionalProperties: { type: 'number' } }) byChannel: Record<string, number>;
  @ApiProperty({ additionalProperties: { type: 'number' } }) byService: Record<string, number>;
  @ApiProperty({ type: BacklogDto }) backlog: BacklogDto;
  @ApiProperty({
    type: [BreachDto],
    description:
      'The worst 100 breached clocks (most minutes over first; ties by reference, then target). Every one: GET /api/reports/sla/breaches (paged), or the CSV (response_state / resolution_state "breached")',
  })
  breaches: BreachDto[];
  @ApiProperty({ description: 'How many clocks of the period are breached (the length of the whole list)' })
  breachesTotal: number;
  @ApiProperty({ type: ClockHoldersDto }) clockHolders: ClockHoldersDto;
  @ApiProperty({ additionalProperties: { $ref: getSchemaPath(SupplierFiguresDto) } })
  suppliers: Record<string, SupplierFiguresDto>;
  @ApiProperty({ nullable: true, type: Number, description: 'Reopened / resolved at least once × 100' })
  reopenRate: number | null;
  @ApiProperty({ type: [TopSiteDto] }) topSites: TopSiteDto[];
  @ApiProperty({ type: FrozenDto, nullable: true }) frozen: FrozenDto | null;
}

export class BreachPageDto {
  @ApiProperty({ nullable: true, type: String, description: 'Trust code; null for the whole partnership' })
  trust: string | null;
  @ApiProperty({ example: '2026-10-01' }) from: string;
  @ApiProperty({ example: '2026-10-31' }) to: string;
  @ApiProperty({ description: 'The instant running clocks were measured to' }) asOf: string;
  @ApiProperty({ description: 'Every breached clock of the period' }) total: number;
  @ApiProperty() offset: number;
  @ApiProperty() limit: number;
  @ApiProperty({ type: [BreachDto], description: 'Most minutes over first; ties by reference, then target' })
  breaches: BreachDto[];
}
