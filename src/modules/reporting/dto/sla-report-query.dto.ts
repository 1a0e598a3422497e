import { ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination';

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

/** Breaches in a page when `limit` is not given. */
export const BREACH_PAGE_DEFAULT = 100;

/** The report's query with a page of its breaches: `limit` as every list takes it (1-500), and `offset`. */
export class BreachPageQueryDto extends IntersectionType(
  SlaReportQueryDto,
  PickType(PageQueryDto, ['limit']),
) {
  @ApiPropertyOptional({ minimum: 0, description: 'Breaches to skip, worst first (default 0)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  offset?: number;
}
