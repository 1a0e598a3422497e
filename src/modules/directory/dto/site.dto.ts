import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination';
import { SITE_CLASSES, type SiteClassCode } from '../site-class.entity';
import { SingleLine } from '../../../common/http/text-fields';

/** An E.164 number: `+`, a country code and the subscriber number, 8 to 15 digits in all. */
const E164 = /^\+[1-9]\d{6,14}$/;

export class TrustRefDto {
  @ApiProperty({ example: 'LCFT' }) code: string;
  @ApiProperty({ example: 'Lancashire Care NHS Foundation Trust' }) name: string;
}

export class SiteDto {
  @ApiProperty({ example: '2001', description: 'Short numeric code callers key on the phone' }) code: string;
  @ApiProperty({ example: 'Fulwood Health Centre' }) name: string;
  @ApiProperty({ enum: SITE_CLASSES }) class: SiteClassCode;
  @ApiProperty({ type: TrustRefDto }) trust: TrustRefDto;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'Preston' }) town: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) accessNotes: string | null;
  @ApiProperty() active: boolean;
  @ApiProperty({
    type: [String],
    example: ['+441772000101'],
    description: "The site's own phone lines (E.164): a call from one of them is about this site",
  })
  phoneNumbers: string[];
}

export class SiteQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Trust code', example: 'LCFT' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  trust?: string;

  @ApiPropertyOptional({ enum: SITE_CLASSES })
  @IsOptional()
  @IsIn(SITE_CLASSES)
  class?: SiteClassCode;

  @ApiPropertyOptional({
    description: 'Part of the name or town, or the start of the site code',
    example: 'Preston',
  })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class CreateSiteDto {
  @ApiProperty({ example: '2090' })
  @Matches(/^\d{3,6}$/, { message: 'must be 3-6 digits' })
  code: string;

  @ApiProperty({ example: 'Fulwood Health Centre' })
  @SingleLine()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: SITE_CLASSES })
  @IsIn(SITE_CLASSES)
  class: SiteClassCode;

  @ApiProperty({ example: 'CLN' })
  @IsString()
  @MaxLength(16)
  trustCode: string;

  @ApiPropertyOptional({ example: 'Preston' })
  @IsOptional()
  @SingleLine()
  @IsString()
  @MaxLength(100)
  town?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  accessNotes?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({
    type: [String],
    example: ['+441772000101', '+441772000102'],
    description:
      "The site's own phone lines (ward and reception phones), E.164; each number belongs to one site at most. A PATCH replaces the list.",
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ArrayUnique()
  @Matches(E164, { each: true, message: 'each must be an E.164 number such as +441772000101' })
  phoneNumbers?: string[];
}

export class UpdateSiteDto extends PartialType(OmitType(CreateSiteDto, ['code'] as const)) {}
