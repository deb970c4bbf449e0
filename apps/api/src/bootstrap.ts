import { NestFactory } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { AppConfig, ConfigValues, nestLogger } from '@libs/config';
import { runMigrationsLocked } from '@libs/db';
import { AppModule } from './app.module';
import { UsersService } from './auth/users.service';
import { createOpenApiDocument } from './platform/openapi';
import { installSecurity, securityOptions } from './platform/security';
import { UndeclaredQueryInterceptor } from './platform/validation';

export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * On shutdown the server closes the connections that are idle at that moment; a response still in
 * flight then tells its client to close too, or its keep-alive connection would hold the
 * shutdown until keepAliveTimeout.
 */
function closeConnectionsWhenClosing(adapter: FastifyAdapter): void {
  let closing = false;
  const fastify = adapter.getInstance();
  fastify.addHook('preClose', (done) => {
    closing = true;
    done();
  });
  fastify.addHook('onSend', async (_request, reply) => {
    if (closing) void reply.header('connection', 'close');
  });
}

/**
 * Many HTTP clients send `content-type: application/json` on every call, bodiless `DELETE`s
 * included, and Fastify's JSON parser refuses an empty body (400, before authentication): a
 * client that believed it deleted something had not. A request that carries no body (no length
 * and no chunked encoding, or a length of 0) has nothing to parse, so its content type is dropped
 * before parsing; a route that needs a body still refuses it when it validates.
 */
function acceptEmptyBodies(fastify: FastifyInstance): void {
  fastify.addHook('onRequest', async (request) => {
    const headers = request.headers;
    if (headers['content-type'] === undefined) return;
    const length = headers['content-length'];
    const empty =
      length === undefined ? headers['transfer-encoding'] === undefined : Number(length) === 0;
    if (empty) delete headers['content-type'];
  });
}

/** Builds the API application (used by main.ts and by tests). */
export async function createApiApp(config: ConfigValues): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    // Applies to every parser (JSON and the approval page's form); 413 problem+json beyond.
    bodyLimit: BODY_LIMIT_BYTES,
    // Decides request.ip, the key of the rate limits: false unless a proxy we know sets it.
    trustProxy: config.TRUST_PROXY,
    // Approval-link tokens travel in the path (about 300 characters).
    routerOptions: { maxParamLength: 1024 },
    // A client gets API_REQUEST_TIMEOUT_MS to send its request (a slow sender holds no socket
    // forever); a silent connection closes after API_CONNECTION_TIMEOUT_MS. Neither cuts an answer
    // in progress: event streams turn the idle timeout off for their socket (they heartbeat).
    requestTimeout: config.API_REQUEST_TIMEOUT_MS,
    connectionTimeout: config.API_CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: config.API_KEEP_ALIVE_TIMEOUT_MS,
    // Node checks request timeouts on this interval (30 s by default, longer than a short timeout).
    http: {
      connectionsCheckingInterval: Math.min(30_000, Math.floor(config.API_REQUEST_TIMEOUT_MS / 4)),
    },
    // No request logs: URLs carry approval-link tokens and headers carry credentials. Errors are
    // logged by the problem filter, with the URL redacted.
    logger: false,
  });
  // Before Nest registers any route, so every route, the 404 handler and Swagger get it.
  installSecurity(adapter.getInstance(), securityOptions(config));
  closeConnectionsWhenClosing(adapter);
  acceptEmptyBodies(adapter.getInstance());
  const app = await NestFactory.create<NestFastifyApplication>(AppModule, adapter, {
    logger: nestLogger(config.LOG_LEVEL),
    bufferLogs: false,
  });
  app.useGlobalInterceptors(new UndeclaredQueryInterceptor());
  app.enableShutdownHooks();
  // HTML forms of the approval page post application/x-www-form-urlencoded: Nest's Fastify
  // adapter parses that body type itself.
  const document = createOpenApiDocument(app);
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  if (app.get(AppConfig).DATABASE_MIGRATE_ON_START) {
    await runMigrationsLocked(app.get(DataSource));
  }
  // The first admin from ADMIN_EMAIL / ADMIN_PASSWORD, once the users table exists.
  await app.get(UsersService).ensureConfiguredAdmin();
  return app;
}
