import { Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Page } from '../../../common/http/pagination';
import { Roles } from '../../auth/auth.decorators';
import { DESK_ROLES } from '../../users/domain/roles';
import { IntakeMessageDto, IntakeMessageQueryDto } from './dto/intake-message.dto';
import { IntakeLogService } from './intake-log.service';
import { UuidPipe } from '../../../common/http/ids';

/** The email intake log: what happened to every message the desk received, and why. Desk staff only. */
@ApiTags('intake')
@ApiBearerAuth()
@Roles(...DESK_ROLES)
@Controller('api/intake/messages')
export class IntakeLogController {
  constructor(private readonly log: IntakeLogService) {}

  @Get()
  @ApiOperation({
    summary:
      'Inbound messages, newest first, with each pipeline step’s decision (filter by `status`; default 50 per page)',
  })
  list(@Query() query: IntakeMessageQueryDto): Promise<Page<IntakeMessageDto>> {
    return this.log.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One inbound message and its intake log' })
  @ApiOkResponse({ type: IntakeMessageDto })
  @ApiNotFoundResponse({ description: 'No such message' })
  get(@Param('id', UuidPipe) id: string): Promise<IntakeMessageDto> {
    return this.log.get(id);
  }

  @Get(':id/raw')
  @ApiOperation({ summary: 'The message exactly as it arrived (message/rfc822)' })
  @ApiProduces('message/rfc822')
  async raw(@Param('id', UuidPipe) id: string, @Res() reply: FastifyReply): Promise<void> {
    const raw = await this.log.raw(id);
    await reply
      .header('Content-Type', 'message/rfc822')
      .header('Content-Disposition', `attachment; filename="${id}.eml"`)
      .send(raw);
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a failed or refused message through the pipeline again' })
  @ApiOkResponse({ type: IntakeMessageDto })
  @ApiConflictResponse({ description: 'INTAKE.NOT_RETRYABLE: the message is not failed or refused' })
  retry(@Param('id', UuidPipe) id: string): Promise<IntakeMessageDto> {
    return this.log.retry(id);
  }
}
