import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { UUID_PATTERN } from '../../../common/http/ids';
import { PageQueryDto } from '../../../common/http/pagination';
import { SITE_CLASSES, type SiteClassCode } from '../../directory/site-class.entity';
import {
  CHANNELS,
  PRIORITIES,
  STATUSES,
  type Channel,
  type IncidentStatus,
  type Priority,
} from '../domain/incident-enums';

export const INCIDENT_SORTS = ['-reportedAt', 'reportedAt', 'priority', '-updatedAt', 'sla'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];

const commaList = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean)
    : value;

export class IncidentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'CLN', description: 'Trust code' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  trust?: string;

  @ApiPropertyOptional({ example: '2001', description: 'Site code' })
  @IsOptional()
  @Matches(/^\d{3,8}$/)
  site?: string;

  @ApiPropertyOptional({ enum: SITE_CLASSES })
  @IsOptional()
  @IsIn(SITE_CLASSES)
  siteClass?: SiteClassCode;

  @ApiPropertyOptional({ example: 'wireless', description: 'Service code' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  service?: string;

  @ApiPropertyOptional({ example: 'new,assigned', description: 'One or more statuses, comma-separated' })
  @IsOptional()
  @Transform(commaList)
  @IsIn(STATUSES, { each: true })
  status?: IncidentStatus[];

  @ApiPropertyOptional({ example: 'P1,P2', description: 'One or more priorities, comma-separated' })
  @IsOptional()
  @Transform(commaList)
  @IsIn(PRIORITIES, { each: true })
  priority?: Priority[];

  @ApiPropertyOptional({ example: 'me', description: 'A user id, `me`, or `none` for unassigned' })
  @IsOptional()
  @Matches(new RegExp(`^(me|none|${UUID_PATTERN})$`, 'i'), { message: 'must be a user id, me or none' })
  assignee?: string;

  @ApiPropertyOptional({ enum: CHANNELS })
  @IsOptional()
  @IsIn(CHANNELS)
  channel?: Channel;

  @ApiPropertyOptional({
    example: 'wifi outpatients',
    description: 'Full-text search over summary, description and timeline, or a reference',
  })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  q?: string;

  @ApiPropertyOptional({
    example: 'breaching_within:60',
    description:
      '`breaching_within:N`: open incidents with a running SLA clock due within N business minutes (not yet breached); `breached`: past due',
  })
  @IsOptional()
  @Matches(/^(breaching_within:\d{1,6}|breached)$/, {
    message: 'must be breaching_within:N (business minutes) or breached',
  })
  sla?: string;

  @ApiPropertyOptional({
    enum: INCIDENT_SORTS,
    default: '-reportedAt',
    description:
      '`priority` = P1 first, oldest first; `sla` = SLA urgency: the next running clock due first (breached first), incidents without one last',
  })
  @IsOptional()
  @IsIn(INCIDENT_SORTS)
  sort?: IncidentSort;
}
