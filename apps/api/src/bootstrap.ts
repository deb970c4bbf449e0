import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigValues, nestLogLevels } from '../../../libs/config';
import { runMigrationsLocked } from '../../../libs/db';
import { AppModule } from './app.module';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the API application (used by main.ts and by tests). */
export async function createApiApp(config: ConfigValues): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    new FastifyAdapter({
      bodyLimit: BODY_LIMIT_BYTES,
      trustProxy: true,
      // Approval-link tokens travel in the path (about 300 characters).
      maxParamLength: 1024,
    }),
    { logger: nestLogLevels(config.LOG_LEVEL), bufferLogs: false },
  );
  app.enableShutdownHooks();
  // HTML forms of the approval page post application/x-www-form-urlencoded: Nest's Fastify
  // adapter parses that body type itself.
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Entente API')
      .setDescription(
        'Drives cross-border partnerships through their stages, with approvals on request and follow-up reminders. ' +
          'Errors are RFC 9457 problem+json with a machine-readable `code`.',
      )
      .setVersion('0.1.0')
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  if (app.get(AppConfig).DATABASE_MIGRATE_ON_START) {
    await runMigrationsLocked(app.get(DataSource));
  }
  return app;
}
