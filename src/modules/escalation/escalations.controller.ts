import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../common/errors/domain-error';
import type { Actor } from '../audit/actor';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import {
  CreateEscalationDto,
  EscalationCreatedDto,
  SupplierUpdateAnswerDto,
  SupplierUpdateDto,
} from './dto/escalation.dto';
import { EscalationsService } from './escalations.service';
import { SupplierUpdates } from './supplier-updates.service';

const asActor = (user: AuthUser): Actor => ({ kind: 'user', user, name: user.name });

@ApiTags('escalation')
@ApiBearerAuth()
@Controller('api/incidents/:reference/escalations')
export class EscalationsController {
  constructor(
    private readonly escalations: EscalationsService,
    private readonly updates: SupplierUpdates,
  ) {}

  @Post()
  @Roles('agent', 'desk_manager', 'admin')
  @ApiOperation({ summary: 'Escalate the incident to a supplier' })
  @ApiCreatedResponse({ type: EscalationCreatedDto })
  create(
    @Param('reference') reference: string,
    @Body() dto: CreateEscalationDto,
    @CurrentUser() user: AuthUser,
  ): Promise<EscalationCreatedDto> {
    return this.escalations.escalate(reference, dto.supplier, dto.reason.trim(), asActor(user));
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Roles('agent', 'desk_manager', 'admin')
  @ApiOperation({ summary: 'Deliver a failed escalation again' })
  @ApiOkResponse({ type: EscalationCreatedDto })
  retry(
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<EscalationCreatedDto> {
    return this.escalations.retry(reference, id, asActor(user));
  }

  /** A supplier user's update on their own supplier's escalation (404 for any other). */
  @Post(':id/updates')
  @HttpCode(200)
  @Roles('supplier')
  @ApiOperation({ summary: "A supplier user's update on their supplier's escalation" })
  @ApiOkResponse({ type: SupplierUpdateAnswerDto })
  update(
    @Param('reference') reference: string,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() dto: SupplierUpdateDto,
    @CurrentUser() user: AuthUser,
  ): Promise<SupplierUpdateAnswerDto> {
    if (!user.supplierId)
      throw new DomainError('ESCALATION.NOT_FOUND', 'No such escalation that you can see.');
    return this.updates.apply(user.supplierId, { ...dto, reference, escalationId: id }, asActor(user), null);
  }
}
