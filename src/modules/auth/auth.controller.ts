import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { AuthUser } from './auth-user';
import { CurrentUser, Public } from './auth.decorators';
import { AuthService } from './auth.service';
import { LoginDto, LoginResponseDto } from './login.dto';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('login')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange email and password for a bearer token' })
  @ApiOkResponse({ type: LoginResponseDto })
  @ApiUnauthorizedResponse({
    description: 'Email or password is wrong (the same answer for unknown accounts).',
  })
  @ApiTooManyRequestsResponse({
    description:
      'Too many failed sign-ins for this account (from any address) or from this client address (for any ' +
      'account) in the last minute. `Retry-After` says how many seconds to wait.',
    headers: {
      'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer' } },
    },
  })
  login(@Body() dto: LoginDto, @Ip() clientAddress: string): Promise<LoginResponseDto> {
    return this.auth.login(dto.email, dto.password, clientAddress);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Sign out everywhere',
    description:
      'Ends every access token the caller holds (not only the one sent): each answers 401 within 5 seconds in ' +
      'every API process. Sign in again for a new one.',
  })
  @ApiNoContentResponse({ description: 'Signed out.' })
  @ApiUnauthorizedResponse({ description: 'No valid token was sent.' })
  logout(@CurrentUser() user: AuthUser): Promise<void> {
    return this.auth.logout(user);
  }
}
