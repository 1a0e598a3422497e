import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';

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
