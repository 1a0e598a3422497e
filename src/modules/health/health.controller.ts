import { Controller, Get, Res, ServiceUnavailableException } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { HealthCheckService, TypeOrmHealthIndicator, type HealthCheckResult } from '@nestjs/terminus';
import type { FastifyReply } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { Public, Roles } from '../auth/auth.decorators';
import { QueueHealthIndicator } from './queue.health';

/**
 * `/health` tells anyone (load balancers, probes) whether the desk is up: 200 `{status: "up"}` when the database
 * and the queue backend answer, else 503 `{status: "down"}`. What was checked, the run mode and the queue counts
 * are for the desk's managers at `/health/details`.
 */
@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly queues: QueueHealthIndicator,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Up or down: the database and the queue backend answer (no details)' })
  @ApiOkResponse({ schema: { example: { status: 'up' } } })
  @ApiServiceUnavailableResponse({ schema: { example: { status: 'down' } } })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<{ status: 'up' | 'down' }> {
    const result = await this.run();
    if (result.status === 'ok') return { status: 'up' };
    void reply.status(503);
    return { status: 'down' };
  }

  @Get('details')
  @Roles('desk_manager', 'admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Each check, the run mode and the queue counts (desk manager, admin)' })
  @ApiOkResponse({ description: 'Everything answers.' })
  @ApiServiceUnavailableResponse({ description: 'Something does not answer; the same body says what.' })
  async details(
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<HealthCheckResult & { mode: string }> {
    const result = await this.run();
    if (result.status !== 'ok') void reply.status(503);
    return { ...result, mode: this.config.mode };
  }

  private async run(): Promise<HealthCheckResult> {
    try {
      return await this.health.check([
        () => this.db.pingCheck('database', { timeout: 2_000 }),
        () => this.queues.check('queue'),
      ]);
    } catch (err) {
      // Terminus throws 503 with the whole result when a check is down.
      if (err instanceof ServiceUnavailableException) return err.getResponse() as HealthCheckResult;
      throw err;
    }
  }
}
