import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Page } from '../../../common/http/pagination';
import { Roles } from '../../auth/auth.decorators';
import { DESK_ROLES } from '../../users/domain/roles';
import { CallsService } from './calls.service';
import { CallQueryDto, type CallDto } from './dto/call.dto';

/** The call log: every call to the desk's number, what the caller chose and how it ended. Desk staff only. */
@ApiTags('phone')
@ApiBearerAuth()
@Roles(...DESK_ROLES)
@Controller('api/calls')
export class CallsController {
  constructor(private readonly calls: CallsService) {}

  @Get()
  @ApiOperation({
    summary:
      'Calls to the desk, newest first: caller, steps and keys pressed, recording, transcription, outcome and incident (filter by `outcome` or `incident`; default 50 per page)',
  })
  list(@Query() query: CallQueryDto): Promise<Page<CallDto>> {
    return this.calls.list(query);
  }
}
