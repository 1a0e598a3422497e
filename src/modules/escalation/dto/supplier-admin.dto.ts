import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
  IsArray,
} from 'class-validator';
import { SITE_CLASSES } from '../../directory/site-class.entity';
import { PRIORITIES } from '../../incidents/domain/incident-enums';

export class ContractTargetDto {
  @ApiProperty({ enum: PRIORITIES }) @IsIn(PRIORITIES) priority: string;

  @ApiProperty({ example: '24x7', description: 'An SLA calendar code' })
  @Matches(/^[a-z0-9_x-]{1,32}$/, { message: 'must be a calendar code' })
  calendar: string;

  @ApiProperty({
    example: 15,
    description: 'Business minutes to acknowledge (the supplier reference arrives)',
  })
  @IsInt()
  @Min(1)
  @Max(525_600)
  acknowledgeMinutes: number;

  @ApiProperty({ example: 240, description: 'Business minutes to fix' })
  @IsInt()
  @Min(1)
  @Max(5_256_000)
  fixMinutes: number;

  @ApiPropertyOptional({ default: false, description: 'Plausible figures, not the signed contract' })
  @IsOptional()
  @IsBoolean()
  assumed?: boolean;
}

export class ContractTargetsDto {
  @ApiProperty({ type: [ContractTargetDto] })
  @IsArray()
  @ArrayMaxSize(4)
  @ValidateNested({ each: true })
  @Type(() => ContractTargetDto)
  targets: ContractTargetDto[];
}

export class CreateRouteDto {
  @ApiProperty({ example: 'wan' })
  @Matches(/^[a-z0-9_]{2,32}$/, { message: 'must be a service code' })
  service: string;

  @ApiPropertyOptional({ enum: SITE_CLASSES, nullable: true })
  @IsOptional()
  @IsIn(SITE_CLASSES)
  siteClass?: string | null;

  @ApiPropertyOptional({ enum: PRIORITIES, nullable: true })
  @IsOptional()
  @IsIn(PRIORITIES)
  priority?: string | null;

  @ApiProperty({ example: 'vmb' })
  @Matches(/^[a-z0-9_]{2,32}$/, { message: 'must be a supplier code' })
  supplier: string;

  @ApiPropertyOptional({ default: false, description: 'Escalate new incidents matching this rule at once' })
  @IsOptional()
  @IsBoolean()
  autoEscalate?: boolean;
}

export class RouteDto {
  @ApiProperty() id: string;
  @ApiProperty() service: string;
  @ApiPropertyOptional({ nullable: true, type: String }) siteClass: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) priority: string | null;
  @ApiProperty() supplier: string;
  @ApiProperty() autoEscalate: boolean;
}

export class ScorecardQueryDto {
  @ApiProperty({ example: '2026-11-01' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date, YYYY-MM-DD' })
  from: string;

  @ApiProperty({ example: '2026-11-30', description: 'Inclusive' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date, YYYY-MM-DD' })
  to: string;
}

export class ScorecardDto {
  @ApiProperty() supplier: string;
  @ApiProperty() from: string;
  @ApiProperty() to: string;
  @ApiProperty() escalations: number;
  @ApiPropertyOptional({
    nullable: true,
    type: Number,
    description: 'Of clocks that ended (met or breached)',
  })
  acknowledgeMetPercent: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number }) fixMetPercent: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Contract business minutes' })
  medianAcknowledgeMinutes: number | null;
  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Contract business minutes' })
  medianFixMinutes: number | null;
  @ApiProperty({ description: 'Incidents reopened after the supplier said resolved' })
  reopensAfterResolved: number;
  @ApiProperty({ description: 'Escalations sent back as not ours' }) notOurs: number;
}
