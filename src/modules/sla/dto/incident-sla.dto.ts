import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** One SLA clock of an incident, as the API shows it. Minutes are business minutes of `calendar`. */
export class SlaClockDto {
  @ApiProperty({
    example: '2010-12-31T17:00:00.000Z',
    description: 'When the target is due (while paused: if the clock resumed now)',
  })
  dueAt: string;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'When the target was met; null until then',
  })
  metAt: string | null;

  @ApiProperty() breached: boolean;
  @ApiProperty({ example: 0, description: 'Whole business minutes past the due time (0 unless breached)' })
  breachedByMinutes: number;
  @ApiProperty({ example: 450, description: 'Business minutes left, rounded up (0 once due)' })
  remainingMinutes: number;
  @ApiProperty({ example: 76, description: 'Whole percent of the target used (rounded down; 100 = due)' })
  percentElapsed: number;
  @ApiProperty({ description: 'True while the incident waits for the caller (awaiting_caller)' })
  paused: boolean;
  @ApiProperty({ description: 'True once the clock has stopped (met, or the incident cancelled)' })
  stopped: boolean;
  @ApiProperty({ example: 'gp_core' }) calendar: string;
  @ApiProperty({ example: 1890 }) targetMinutes: number;
}

export class IncidentSlaDto {
  @ApiProperty({ type: SlaClockDto, description: 'First response: the first public reply by desk staff' })
  response: SlaClockDto;
  @ApiProperty({ type: SlaClockDto, description: 'Resolution: entering resolved' }) resolution: SlaClockDto;
}
