import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  TypeOrmHealthIndicator,
  type HealthCheckResult,
} from '@nestjs/terminus';
import { SkipThrottle } from '@nestjs/throttler';
import { AppConfig } from '../../config/app-config';
import { Public } from '../auth/auth.decorators';
import { QueueHealthIndicator } from './queue.health';

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
  @SkipThrottle()
  @HealthCheck()
  @ApiOperation({ summary: 'Liveness and readiness: the database and the queue backend answer' })
  async check(): Promise<HealthCheckResult & { mode: string }> {
    const result = await this.health.check([
      () => this.db.pingCheck('database', { timeout: 2_000 }),
      () => this.queues.check('queue'),
    ]);
    return { ...result, mode: this.config.mode };
  }
}
