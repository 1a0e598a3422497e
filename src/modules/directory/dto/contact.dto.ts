import { ApiProperty, ApiPropertyOptional, PartialType } from '@nestjs/swagger';
import { IsBoolean, IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQueryDto } from '../../../common/http/pagination';
import { SingleLine } from '../../../common/http/text-fields';

export class ContactDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: 'Dr Asha Patel' }) name: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'asha.patel@centrallancashire.nhs.uk' })
  email: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '+447700900123' }) phone: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'CLN' }) trustCode: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: '2001' }) usualSiteCode: string | null;
  @ApiProperty() verified: boolean;
}

export class ContactQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ description: 'Part of the name or email, or the phone number' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  q?: string;
}

export class CreateContactDto {
  @ApiProperty({ example: 'Dr Asha Patel' })
  @SingleLine()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiPropertyOptional({ example: 'asha.patel@centrallancashire.nhs.uk' })
  @IsOptional()
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email?: string;

  @ApiPropertyOptional({ example: '+447700900123', description: 'E.164' })
  @IsOptional()
  @Matches(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 number such as +447700900123' })
  phone?: string;

  @ApiPropertyOptional({ example: 'CLN' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  trustCode?: string;

  @ApiPropertyOptional({ example: '2001' })
  @IsOptional()
  @IsString()
  @MaxLength(8)
  usualSiteCode?: string;

  @ApiPropertyOptional({ default: true })
  @IsOptional()
  @IsBoolean()
  verified?: boolean;
}

export class UpdateContactDto extends PartialType(CreateContactDto) {}
