import { Controller, Get, Headers, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DomainError, ErrorCode } from '@libs/domain';
import { Public } from '../auth/auth.decorators';
import { WEB_APP_ROUTES } from './web-app-routes';
import { WebAppService } from './web-app.service';

/** Serves the single-page web app (web/) from the API's own origin. */
@ApiExcludeController()
@Public()
@Controller()
export class WebAppController {
  constructor(private readonly app: WebAppService) {}

  @Get([...WEB_APP_ROUTES])
  page(@Res() reply: FastifyReply): void {
    const html = this.app.indexHtml();
    if (!html) {
      throw new DomainError(
        ErrorCode.ROUTE_NOT_FOUND,
        'The web app is not built: run npm run build',
      );
    }
    void reply
      .header('content-type', 'text/html; charset=utf-8')
      // Tiny, and names the current fingerprinted assets: always revalidated.
      .header('cache-control', 'no-cache')
      .send(html);
  }

  @Get('assets/:file')
  asset(
    @Param('file') file: string,
    @Headers('accept-encoding') acceptEncoding: string | undefined,
    @Res() reply: FastifyReply,
  ): void {
    const asset = this.app.asset(file);
    if (!asset) throw new DomainError(ErrorCode.ROUTE_NOT_FOUND, 'No such file');
    const gzip = /\bgzip\b/.test(acceptEncoding ?? '');
    void reply
      .header('content-type', asset.contentType)
      // Fingerprinted names: a new build is a new URL.
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('vary', 'accept-encoding');
    if (gzip) void reply.header('content-encoding', 'gzip');
    void reply.send(gzip ? asset.gzipped : asset.body);
  }
}
