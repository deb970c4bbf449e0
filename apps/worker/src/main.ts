import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { loadConfig, nestLogger } from '@libs/config';
import { WorkerModule } from './worker.module';
import { WorkerRunner } from './worker.runner';

async function main(): Promise<void> {
  const config = loadConfig(); // fails here, naming the bad variable, before anything starts
  // We handle signals ourselves (below) so shutdown is requested exactly once.
  Runtime.install({
    shutdownSignals: [],
    logger: new DefaultLogger(
      config.LOG_LEVEL === 'debug' || config.LOG_LEVEL === 'verbose' ? 'DEBUG' : 'WARN',
    ),
  });
  const app = await NestFactory.createApplicationContext(WorkerModule, {
    logger: nestLogger(config.LOG_LEVEL),
  });
  const runner = app.get(WorkerRunner);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals): void => {
    signals += 1;
    if (signals > 1) {
      Logger.warn(`${signal} again: exiting without draining`, 'Worker');
      process.exit(130);
    }
    Logger.log(`${signal}: shutting down`, 'Worker');
    runner.shutdown();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    await runner.run();
  } finally {
    await app.close();
  }
  Logger.log('stopped', 'Worker');
}

main().catch((err: unknown) => {
  // A config error is a message for a person, not a stack trace.
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
