import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { SITE_CLASSES, type SiteClassCode } from '../../directory/site-class.entity';
import { PRIORITIES, type Priority } from '../../incidents/domain/incident-enums';
import type { OpeningInterval, Weekday } from '../domain/business-calendar';
import { OVERRIDE_ACTIONS, type OverrideAction } from '../entities/sla-holiday-override.entity';

/** A year of business minutes is more than any target needs. */
const MAX_TARGET_MINUTES = 525_600;
const CALENDAR_CODE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

export class PolicyInputDto {
  @ApiProperty({ enum: SITE_CLASSES }) @IsIn(SITE_CLASSES) siteClass: SiteClassCode;
  @ApiProperty({ enum: PRIORITIES }) @IsIn(PRIORITIES) priority: Priority;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: '24x7',
    description: "A calendar code; null = the site class's calendar",
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @Matches(CALENDAR_CODE, { message: 'must be a calendar code' })
  calendar?: string | null;

  @ApiProperty({ example: 30, description: 'First response, business minutes' })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  responseMinutes: number;

  @ApiProperty({ example: 480, description: 'Resolution, business minutes' })
  @IsInt()
  @Min(1)
  @Max(MAX_TARGET_MINUTES)
  resolutionMinutes: number;
}

export class UpdatePoliciesDto {
  @ApiProperty({ type: [PolicyInputDto] })
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => PolicyInputDto)
  policies: PolicyInputDto[];

  @ApiPropertyOptional({ example: 'Contract variation 3: P2 resolution 6 business hours' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class PolicyHistoryQueryDto {
  @ApiPropertyOptional({ enum: SITE_CLASSES }) @IsOptional() @IsIn(SITE_CLASSES) siteClass?: SiteClassCode;
  @ApiPropertyOptional({ enum: PRIORITIES }) @IsOptional() @IsIn(PRIORITIES) priority?: Priority;
  @ApiPropertyOptional({ maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() cursor?: string;
}

export class CalendarInputDto {
  @ApiProperty({ example: 'Extended hours 07:00-20:00 Mon-Sat' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
  @ApiPropertyOptional({ example: 'Europe/London', default: 'Europe/London' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  zone?: string;

  @ApiProperty({
    example: {
      1: [{ open: '07:00', close: '20:00' }],
      2: [],
      3: [],
      4: [],
      5: [],
      6: [
        { open: '09:00', close: '13:00' },
        { open: '14:00', close: '17:00' },
      ],
      7: [],
    },
    description:
      'Weekday (1 = Monday … 7 = Sunday) → opening intervals, HH:mm; close may be 24:00; split days allowed',
  })
  @IsObject()
  week: Record<Weekday, OpeningInterval[]>;

  @ApiProperty({ description: 'Closed on the England & Wales bank holidays (with the overrides)' })
  @IsBoolean()
  bankHolidays: boolean;
}

export class OverrideInputDto {
  @ApiProperty({
    enum: OVERRIDE_ACTIONS,
    description: '`add`: an extra closed day; `remove`: a table bank holiday that is a working day',
  })
  @IsIn(OVERRIDE_ACTIONS)
  action: OverrideAction;

  @ApiProperty({ example: 'Bank holiday for a special occasion' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}

export class HolidayQueryDto {
  @ApiPropertyOptional({ example: 2012 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1900)
  @Max(2100)
  year?: number;
}

export class PolicyView {
  @ApiProperty({ enum: SITE_CLASSES }) siteClass: SiteClassCode;
  @ApiProperty({ enum: PRIORITIES }) priority: Priority;
  @ApiProperty({
    example: 'gp_core',
    description: "The calendar in force (the site class's when the policy names none)",
  })
  calendar: string;
  @ApiProperty({ description: 'True when the calendar comes from the site class' })
  calendarFromSiteClass: boolean;
  @ApiProperty() responseMinutes: number;
  @ApiProperty() resolutionMinutes: number;
  @ApiProperty({ description: 'The sla_policy_version row holding these values' }) versionId: string;
  @ApiProperty() updatedAt: string;
}

export class PolicyVersionView {
  @ApiProperty() id: string;
  @ApiProperty({ enum: SITE_CLASSES }) siteClass: SiteClassCode;
  @ApiProperty({ enum: PRIORITIES }) priority: Priority;
  @ApiPropertyOptional({ nullable: true, type: String }) calendar: string | null;
  @ApiProperty() responseMinutes: number;
  @ApiProperty() resolutionMinutes: number;
  @ApiProperty() changedBy: string;
  @ApiPropertyOptional({ nullable: true, type: String }) reason: string | null;
  @ApiProperty({ description: 'New incidents from this instant used these values' }) validFrom: string;
}

export class CalendarView {
  @ApiProperty({ example: 'gp_core' }) code: string;
  @ApiProperty() name: string;
  @ApiProperty() zone: string;
  @ApiProperty() week: Record<string, OpeningInterval[]>;
  @ApiProperty() bankHolidays: boolean;
  @ApiProperty() version: number;
  @ApiProperty({ example: 630, description: 'One business day of this calendar, in minutes' })
  minutesPerDay: number;
  @ApiProperty() updatedAt: string;
}

export class HolidayView {
  @ApiProperty({ example: '2012-06-04' }) date: string;
  @ApiProperty({ example: 'Spring bank holiday' }) name: string;
  @ApiProperty({ enum: ['table', 'override'] }) source: 'table' | 'override';
}

export class OverrideView {
  @ApiProperty({ example: '2012-06-04' }) date: string;
  @ApiProperty({ enum: OVERRIDE_ACTIONS }) action: OverrideAction;
  @ApiProperty() name: string;
  @ApiProperty() changedBy: string;
  @ApiProperty() updatedAt: string;
}
