import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Put,
  Query,
} from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { DomainError } from '../../common/errors/domain-error';
import type { AuthUser } from '../auth/auth-user';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import {
  ContractTargetDto,
  ContractTargetsDto,
  CreateRouteDto,
  RouteDto,
  ScorecardDto,
  ScorecardQueryDto,
} from './dto/supplier-admin.dto';
import { SupplierAdmin } from './supplier-admin.service';

@ApiTags('escalation')
@ApiBearerAuth()
@Controller('api/suppliers/:code')
export class SupplierContractsController {
  constructor(private readonly admin: SupplierAdmin) {}

  @Get('targets')
  @Roles('desk_manager', 'admin')
  @ApiOperation({ summary: "The supplier's underpinning-contract targets" })
  @ApiOkResponse({ type: [ContractTargetDto] })
  targets(@Param('code') code: string): Promise<ContractTargetDto[]> {
    return this.admin.targets(code);
  }

  @Put('targets')
  @Roles('admin')
  @ApiOperation({ summary: "Replace the supplier's contract targets (admin)" })
  @ApiOkResponse({ type: [ContractTargetDto] })
  setTargets(@Param('code') code: string, @Body() dto: ContractTargetsDto): Promise<ContractTargetDto[]> {
    return this.admin.setTargets(code, dto.targets);
  }

  @Get('scorecard')
  @Roles('desk_manager', 'admin', 'supplier')
  @ApiOperation({ summary: "The supplier's scorecard for a period (a supplier user: its own only)" })
  @ApiOkResponse({ type: ScorecardDto })
  async scorecard(
    @Param('code') code: string,
    @Query() query: ScorecardQueryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<ScorecardDto> {
    if (user.role === 'supplier') {
      const supplier = await this.admin.supplier(code).catch(() => null);
      if (!supplier || supplier.id !== user.supplierId)
        throw new DomainError('DIRECTORY.NOT_FOUND', `No supplier ${JSON.stringify(code)}.`, {
          field: 'code',
        });
    }
    return this.admin.scorecard(code, query.from, query.to);
  }
}

@ApiTags('escalation')
@ApiBearerAuth()
@Controller('api/escalation-routes')
export class EscalationRoutesController {
  constructor(private readonly admin: SupplierAdmin) {}

  @Get()
  @Roles('agent', 'desk_manager', 'admin')
  @ApiOperation({ summary: 'Routing rules: service (site class, priority) to supplier' })
  @ApiOkResponse({ type: [RouteDto] })
  list(): Promise<RouteDto[]> {
    return this.admin.routes();
  }

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Add a routing rule (admin)' })
  @ApiOkResponse({ type: RouteDto })
  add(@Body() dto: CreateRouteDto): Promise<RouteDto> {
    return this.admin.addRoute(dto);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiOperation({ summary: 'Remove a routing rule (admin)' })
  async remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    await this.admin.removeRoute(id);
  }
}
