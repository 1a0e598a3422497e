import { ApiProperty, ApiPropertyOptional, PartialType, OmitType } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { TRUST_KINDS, type TrustKind } from '../trust.entity';
import { SingleLine } from '../../../common/http/text-fields';

export class TrustDto {
  @ApiProperty({ example: 'LCFT' }) code: string;
  @ApiProperty({ example: 'Lancashire Care NHS Foundation Trust' }) name: string;
  @ApiProperty({ enum: TRUST_KINDS }) kind: TrustKind;
  @ApiProperty({ description: 'Not named in the published material; a plausible stand-in.' })
  assumed: boolean;
  @ApiProperty({ type: [String], example: ['lancashirecare.nhs.uk'] }) emailDomains: string[];
}

export class CreateTrustDto {
  @ApiProperty({ example: 'LCFT' })
  @Matches(/^[A-Z0-9]{2,16}$/, { message: 'must be 2-16 capital letters or digits' })
  code: string;

  @ApiProperty({ example: 'Lancashire Care NHS Foundation Trust' })
  @SingleLine()
  @IsString()
  @MinLength(2)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: TRUST_KINDS })
  @IsIn(TRUST_KINDS)
  kind: TrustKind;

  @ApiPropertyOptional({ default: false })
  @IsOptional()
  @IsBoolean()
  assumed?: boolean;

  @ApiPropertyOptional({ type: [String], example: ['lancashirecare.nhs.uk'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @Matches(/^[a-z0-9.-]+\.[a-z]{2,}$/i, {
    each: true,
    message: 'each must be a mail domain such as trust.nhs.uk',
  })
  emailDomains?: string[];
}

export class UpdateTrustDto extends PartialType(OmitType(CreateTrustDto, ['code'] as const)) {}
