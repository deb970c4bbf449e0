import { Controller, Get, Res } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/auth.decorators';
import { HealthReportView } from './health.dto';
import { HealthReport, HealthService } from './health.service';

@ApiTags('health')
@Public() // load balancers and orchestrators probe it without credentials
@Controller('health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get()
  @ApiOperation({ summary: 'Database and Temporal reachability' })
  @ApiOkResponse({ type: HealthReportView, description: 'Everything is up' })
  @ApiServiceUnavailableResponse({
    type: HealthReportView,
    description: 'The database or Temporal is down',
  })
  async check(@Res({ passthrough: true }) reply: FastifyReply): Promise<HealthReport> {
    const report = await this.health.check();
    void reply.status(report.status === 'ok' ? 200 : 503);
    return report;
  }
}
