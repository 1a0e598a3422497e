import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { PageQueryDto, type Page } from '../../common/http/pagination';
import type { Actor } from '../audit/actor';
import type { AuditView } from '../audit/audit.service';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { CreateUserDto, UserDto } from './create-user.dto';
import { UpdateUserDto } from './update-user.dto';
import { UsersService } from './users.service';
import { UuidPipe } from '../../common/http/ids';

const asActor = (user: AuthUser): Actor => ({ kind: 'user', user, name: user.name });

@ApiTags('users')
@ApiBearerAuth()
@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user (admin)' })
  @ApiCreatedResponse({ type: UserDto })
  create(@Body() dto: CreateUserDto, @CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.users.create(dto, asActor(user));
  }

  @Get()
  @Roles('admin', 'desk_manager')
  @ApiOperation({ summary: 'List users' })
  list(@Query() page: PageQueryDto): Promise<Page<UserDto>> {
    return this.users.list(page.limit ?? 100, page.cursor);
  }

  @Get('me')
  @ApiOperation({ summary: 'The signed-in user' })
  @ApiOkResponse({ type: UserDto })
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.users.get(user.id);
  }

  @Get(':id')
  @Roles('admin', 'desk_manager')
  @ApiOperation({ summary: 'One user' })
  @ApiOkResponse({ type: UserDto })
  get(@Param('id', UuidPipe) id: string): Promise<UserDto> {
    return this.users.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({
    summary: 'Change a user (admin)',
    description:
      'Any of name, role, trustCode, supplierCode, active. A change of role, trust, supplier or active ends every ' +
      'token the user holds (401 within 5 seconds in every API process; they sign in again to get the new ' +
      'powers); a new name does not. The resulting role, trust and supplier are checked as a create checks ' +
      'them. Audited.',
  })
  @ApiOkResponse({ type: UserDto })
  @ApiBadRequestResponse({
    description: 'A bad field or combination (`fields` lists them); nothing is saved.',
  })
  @ApiNotFoundResponse({ description: 'No such user.' })
  @ApiConflictResponse({
    description: '`USER.LAST_ADMIN`: the change would leave no active administrator.',
  })
  @ApiUnprocessableEntityResponse({ description: 'No trust or supplier with that code.' })
  update(
    @Param('id', UuidPipe) id: string,
    @Body() dto: UpdateUserDto,
    @CurrentUser() user: AuthUser,
  ): Promise<UserDto> {
    return this.users.update(id, dto, asActor(user));
  }

  @Post(':id/sessions/revoke')
  @Roles('admin')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End every token a user holds (admin)',
    description:
      'Each answers 401 within 5 seconds in every API process; the user may sign in again. Audited.',
  })
  @ApiNoContentResponse({ description: 'Revoked.' })
  @ApiNotFoundResponse({ description: 'No such user.' })
  revokeSessions(@Param('id', UuidPipe) id: string, @CurrentUser() user: AuthUser): Promise<void> {
    return this.users.revokeSessions(id, asActor(user));
  }

  @Get(':id/audit')
  @Roles('admin')
  @ApiOperation({
    summary: 'What was done to a user, oldest first (admin)',
    description:
      '`user.created`, `user.updated` (old and new values), `user.sessions_revoked`, `user.signed_out`.',
  })
  auditTrail(@Param('id', UuidPipe) id: string, @Query() page: PageQueryDto): Promise<Page<AuditView>> {
    return this.users.auditTrail(id, page.limit ?? 100, page.cursor);
  }
}
