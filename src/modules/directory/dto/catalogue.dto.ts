import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { SITE_CLASSES, type SiteClassCode } from '../site-class.entity';
import { SingleLine } from '../../../common/http/text-fields';

export class SupplierDto {
  @ApiProperty({ example: 'vmb' }) code: string;
  @ApiProperty({ example: 'Virgin Media Business' }) name: string;
  @ApiProperty({ example: 'escalations@vmb.example' }) email: string;
  @ApiProperty({ example: 'Network supplier' }) role: string;
}

export class CreateSupplierDto {
  @ApiProperty({ example: 'vmb' })
  @Matches(/^[a-z0-9_]{2,32}$/, { message: 'must be 2-32 lower-case letters, digits or _' })
  code: string;

  @ApiProperty({ example: 'Virgin Media Business' })
  @SingleLine()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiProperty({ example: 'escalations@vmb.example' })
  @IsEmail({ require_tld: false })
  email: string;

  @ApiPropertyOptional({ example: 'Network supplier' })
  @IsOptional()
  @SingleLine()
  @IsString()
  @MaxLength(200)
  role?: string;
}

export class UpdateSupplierDto extends PartialType(OmitType(CreateSupplierDto, ['code'] as const)) {}

export class ServiceDto {
  @ApiProperty({ example: 'wireless' }) code: string;
  @ApiProperty({ example: 'Wireless' }) name: string;
  @ApiProperty() description: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'vmb' }) defaultSupplier: string | null;
  @ApiProperty() active: boolean;
}

export class CreateServiceDto {
  @ApiProperty({ example: 'wireless' })
  @Matches(/^[a-z0-9_]{2,32}$/, { message: 'must be 2-32 lower-case letters, digits or _' })
  code: string;

  @ApiProperty({ example: 'Wireless' })
  @SingleLine()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  description?: string;

  @ApiPropertyOptional({ example: 'vmb' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  defaultSupplierCode?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

export class UpdateServiceDto extends PartialType(OmitType(CreateServiceDto, ['code'] as const)) {}

export class SiteClassDto {
  @ApiProperty({ enum: SITE_CLASSES }) code: SiteClassCode;
  @ApiProperty({ example: 'Hospital' }) name: string;
  @ApiProperty({ example: '24x7' }) calendarCode: string;
  @ApiPropertyOptional({ nullable: true, type: String }) accessNotes: string | null;
}

export class UpdateSiteClassDto {
  @ApiPropertyOptional({ example: 'Hospital' })
  @IsOptional()
  @SingleLine()
  @IsString()
  @MaxLength(100)
  name?: string;

  @ApiPropertyOptional({ example: '24x7' })
  @IsOptional()
  @IsIn(['24x7', 'gp_core', 'office'])
  calendarCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  accessNotes?: string;
}

export { SITE_CLASSES };
