import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ping } from '@libs/db';
import { TemporalClient } from '@libs/temporal';

export interface DependencyHealth {
  status: 'up' | 'down';
  latencyMs: number;
  error?: string;
}

export interface HealthReport {
  status: 'ok' | 'error';
  checks: { database: DependencyHealth; temporal: DependencyHealth };
}

const TIMEOUT_MS = 2_000;

@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly temporal: TemporalClient,
  ) {}

  async check(): Promise<HealthReport> {
    const [database, temporal] = await Promise.all([
      probe(() => ping(this.dataSource)),
      probe(() =>
        this.temporal.connection.withDeadline(Date.now() + TIMEOUT_MS, () =>
          this.temporal.workflowService.getSystemInfo({}),
        ),
      ),
    ]);
    return {
      status: database.status === 'up' && temporal.status === 'up' ? 'ok' : 'error',
      checks: { database, temporal },
    };
  }
}

async function probe(fn: () => Promise<unknown>): Promise<DependencyHealth> {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${TIMEOUT_MS} ms`)),
          TIMEOUT_MS,
        );
      }),
    ]);
    return { status: 'up', latencyMs: Date.now() - started };
  } catch (err) {
    // Only the message's first line: no connection strings or stacks in a public endpoint.
    const message = err instanceof Error ? err.message.split('\n')[0] : 'unreachable';
    return {
      status: 'down',
      latencyMs: Date.now() - started,
      error: message.replace(/\/\/[^@\s]*@/g, '//***@'),
    };
  } finally {
    clearTimeout(timer);
  }
}
