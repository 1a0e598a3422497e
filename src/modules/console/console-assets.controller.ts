import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { ConsoleViews } from './console-views';

/**
 * The console's static files (`/console/assets/:file`): our stylesheet and script and htmx, from our own
 * origin. Pages link them with a content hash in the query, so they may be cached for a year; the ETag
 * answers a revalidation with 304.
 */
@Public()
@ApiExcludeController()
@Controller('console/assets')
export class ConsoleAssetsController {
  constructor(private readonly views: ConsoleViews) {}

  @Get(':file')
  async asset(
    @Param('file') file: string,
    @Req() req: FastifyRequest,
    @Res() res: FastifyReply,
  ): Promise<void> {
    const asset = this.views.asset(file);
    if (!asset) {
      await res.status(404).type('text/plain; charset=utf-8').send('Not found');
      return;
    }
    void res.headers({
      'Content-Type': asset.contentType,
      ETag: asset.etag,
      'Cache-Control': 'public, max-age=31536000, immutable',
      'X-Content-Type-Options': 'nosniff',
    });
    if (req.headers['if-none-match'] === asset.etag) {
      await res.status(304).send();
      return;
    }
    await res.status(200).send(asset.body);
  }
}
