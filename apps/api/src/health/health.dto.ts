import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { DependencyHealth, HealthReport } from './health.service';

export class DependencyHealthView implements DependencyHealth {
  @ApiProperty({ enum: ['up', 'down'], example: 'up' }) status: 'up' | 'down';
  @ApiProperty({ type: 'integer', example: 3, description: 'How long the probe took' })
  latencyMs: number;
  @ApiPropertyOptional({
    example: 'no answer within 2000 ms',
    description: 'Only when down: the first line of the error, without credentials',
  })
  error?: string;
}

export class HealthChecksView {
  @ApiProperty({ type: DependencyHealthView }) database: DependencyHealthView;
  @ApiProperty({ type: DependencyHealthView }) temporal: DependencyHealthView;
}

export class HealthReportView implements HealthReport {
  @ApiProperty({ enum: ['ok', 'error'], description: 'ok when every check is up' })
  status: 'ok' | 'error';
  @ApiProperty({ type: HealthChecksView }) checks: HealthChecksView;
}
