import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsAcceptablePassword } from '../../common/security/is-acceptable-password';
import { ROLES, type Role } from './user.entity';
import { SingleLine } from '../../common/http/text-fields';

export class CreateUserDto {
  @ApiProperty({ example: 'j.bloggs@lancashirecare.nhs.uk' })
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  email: string;

  @ApiProperty({ example: 'Jo Bloggs' })
  @SingleLine()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;

  @ApiProperty({
    minLength: 12,
    example: 'a-long-passphrase-here',
    description:
      '12+ characters, not a common, repetitive or sequential password, nor made of the email or name (NIST 800-63B)',
  })
  @IsString()
  @IsAcceptablePassword(['email', 'name'])
  password: string;

  @ApiProperty({ enum: ROLES, example: 'trust_manager' })
  @IsIn(ROLES)
  role: Role;

  @ApiPropertyOptional({ description: 'Required for trust_manager, refused otherwise.', example: 'LCFT' })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  trustCode?: string;

  @ApiPropertyOptional({ description: 'Required for supplier, refused otherwise.', example: 'vmb' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  supplierCode?: string;
}

export class UserDto {
  @ApiProperty() id: string;
  @ApiProperty() email: string;
  @ApiProperty() name: string;
  @ApiProperty({ enum: ROLES }) role: Role;
  @ApiPropertyOptional({ nullable: true, type: String }) trustCode: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) supplierCode: string | null;
  @ApiProperty() active: boolean;
}
