import { ApiProperty, ApiPropertyOptional, IntersectionType, OmitType, PartialType } from '@nestjs/swagger';
import {
  IsBoolean,
  IsEmail,
  IsIn,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
  ValidateIf,
  registerDecorator,
} from 'class-validator';
import { SITE_CLASSES, type SiteClassCode } from '../site-class.entity';
import { SingleLine } from '../../../common/http/text-fields';

export class SupplierDto {
  @ApiProperty({ example: 'vmb' }) code: string;
  @ApiProperty({ example: 'Virgin Media Business' }) name: string;
  @ApiProperty({ example: 'escalations@vmb.example' }) email: string;
  @ApiProperty({ example: 'Network supplier' }) role: string;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'https://api.vmb.example/rosedesk' })
  webhookUrl: string | null;
  @ApiProperty({ description: 'Whether a webhook secret is set (the secret itself is never shown)' })
  webhookSecretSet: boolean;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'servicedesk@vmb.example' })
  escalationEmail: string | null;
  @ApiPropertyOptional({ nullable: true, type: String, example: 'VMB-\\d{6}' })
  referencePattern: string | null;
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

/** A supplier's escalation channels (pinned: `PATCH /api/suppliers/{code}`); null clears one. */
export class SupplierChannelsDto {
  @ApiPropertyOptional({ nullable: true, type: String, example: 'https://api.vmb.example/rosedesk' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'must be an http(s) URL' },
  )
  @MaxLength(500)
  webhookUrl?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    description: 'Shared HMAC-SHA256 secret, 16-200 characters',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  webhookSecret?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, example: 'servicedesk@vmb.example' })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsEmail({ require_tld: false })
  @MaxLength(320)
  escalationEmail?: string | null;

  @ApiPropertyOptional({
    nullable: true,
    type: String,
    example: 'VMB-\\d{6}',
    description: 'A regular expression',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(200)
  @IsRegExp()
  referencePattern?: string | null;
}

export class UpdateSupplierDto extends IntersectionType(
  PartialType(OmitType(CreateSupplierDto, ['code'] as const)),
  SupplierChannelsDto,
) {}

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

/** A string that compiles as a JavaScript regular expression. */
/** Why `value` is not a usable reference pattern, or null when it is (it is used with the flags `gi`). */
function regExpProblem(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a regular expression (a string)';
  let pattern: RegExp;
  try {
    pattern = new RegExp(value, 'gi');
  } catch (err) {
    return `is not a valid regular expression (${err instanceof Error ? err.message.replace(/^Invalid regular expression: /, '') : 'syntax error'})`;
  }
  if (pattern.test('')) return 'must not match empty text (it would find a reference in every mail)';
  return null;
}

function IsRegExp(): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isRegExp',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown): boolean => regExpProblem(value) === null,
        defaultMessage: (args): string => `${args?.property ?? 'value'} ${regExpProblem(args?.value) ?? ''}`,
      },
    });
}
