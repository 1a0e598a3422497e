import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional, IsString, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { ROLES, type Role } from './user.entity';

/** Present, `null` included, is checked; only absent is skipped. */
const Given = (): PropertyDecorator => ValidateIf((_: object, value: unknown) => value !== undefined);

export class UpdateUserDto {
  @ApiPropertyOptional({ example: 'Jo Bloggs' })
  @Given()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({
    enum: ROLES,
    description:
      'A new role ends the user’s tokens. Leaving trust_manager or supplier drops the trust or supplier.',
  })
  @Given()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'For a trust_manager (required with that role, refused otherwise); a change ends their tokens.',
    example: 'LCFT',
  })
  @IsOptional()
  @IsString()
  @MaxLength(16)
  trustCode?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description:
      'For a supplier user (required with that role, refused otherwise); a change ends their tokens.',
    example: 'vmb',
  })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  supplierCode?: string | null;

  @ApiPropertyOptional({
    description:
      'false disables the account: every token ends and sign-in is refused. The last active admin cannot be disabled.',
  })
  @Given()
  @IsBoolean()
  active?: boolean;
}
