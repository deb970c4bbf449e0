import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { loadConfig } from '@libs/config';
import { createApiApp } from './bootstrap';

async function main(): Promise<void> {
  const config = loadConfig(); // fails here, naming the bad variable, before anything starts
  const app = await createApiApp(config);
  await app.listen({ port: config.API_PORT, host: config.API_HOST });
  Logger.log(`listening on http://${config.API_HOST}:${config.API_PORT}`, 'Api');
}

main().catch((err: unknown) => {
  console.error(err instanceof Error && err.name === 'ConfigError' ? err.message : err);
  process.exit(1);
});
