import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { MAX_PAGE_SIZE } from '../../../common/http/pagination';

export class SlaReportQueryDto {
  @ApiPropertyOptional({
    description:
      "Trust code. Omitted: all trusts (desk manager, admin) or the caller's own trust (trust manager)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  trust?: string;

  @ApiPropertyOptional({ description: 'First day, inclusive, Europe/London (default: first of the month)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  from?: string;

  @ApiPropertyOptional({ description: 'Last day, inclusive, Europe/London (default: last of the month)' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date YYYY-MM-DD' })
  to?: string;
}

export const BREACH_PAGE_DEFAULT = 100;

export class BreachPageQueryDto extends SlaReportQueryDto {
  @ApiPropertyOptional({ minimum: 0, description: 'Breaches to skip, worst first (default 0)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  offset?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: MAX_PAGE_SIZE,
    description: `Breaches in the page (default ${BREACH_PAGE_DEFAULT})`,
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  limit?: number;
}
