import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from '../app.module';
import { documentValidationRules } from './openapi-validation';

/** The API's OpenAPI document, from the controllers' and DTOs' decorators. */
export function createOpenApiDocument(app: INestApplication): OpenAPIObject {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Entente API')
      .setDescription(
        'Drives cross-border partnerships through their stages, with approvals on request and follow-up reminders. ' +
          'Errors are RFC 9457 problem+json with a machine-readable `code`.',
      )
      .setVersion('0.1.0')
      // Every route needs a token unless it is public (those say `security: [{}]`).
      .addBearerAuth({
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description:
          'An access token from POST /api/v1/auth/login, or a personal API token (ent_pat_…).',
      })
      .addSecurityRequirements('bearer')
      .build(),
  );
  // What the validators enforce (openapi.spec.ts fails on what this cannot write down).
  documentValidationRules(document);
  return document;
}

/**
 * The same document without a database, Temporal or configuration: Nest's preview mode scans the
 * modules and their decorators but instantiates no provider (so nothing connects). For the
 * generated web client (scripts/api-client.ts) and the tests that check the document.
 */
export async function previewOpenApiDocument(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule, new FastifyAdapter(), {
    preview: true,
    logger: false,
    abortOnError: false,
  });
  try {
    return createOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

type SchemaNode = Record<string, unknown>;

/**
 * What the document leaves untyped, as "METHOD /path status: what". Every 2xx answer with a body
 * (all but 204) has a schema for each media type, and every schema it reaches says what it is: a
 * `type` (an object with `properties`, or deliberately free-form with `additionalProperties`; an
 * array with `items`), an `enum`, a `$ref` that resolves, or `allOf`/`oneOf`/`anyOf`.
 */
export function responseSchemaProblems(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  const schemas = (document.components?.schemas ?? {}) as Record<string, SchemaNode>;
  const checked = new Set<string>();

  const walk = (node: unknown, where: string): void => {
    if (!node || typeof node !== 'object') {
      problems.push(`${where}: no schema`);
      return;
    }
    const schema = node as SchemaNode;
    if (typeof schema.$ref === 'string') {
      const name = schema.$ref.replace('#/components/schemas/', '');
      if (!schemas[name]) problems.push(`${where}: ${schema.$ref} does not resolve`);
      else if (!checked.has(name)) {
        checked.add(name);
        walk(schemas[name], name);
      }
      return;
    }
    const composed = (['allOf', 'oneOf', 'anyOf'] as const).filter((k) => Array.isArray(schema[k]));
    // Beside a `type`, the parts only narrow it (which fields a case requires): nothing to type.
    const narrowing =
      schema.type !== undefined &&
      composed.every((k) =>
        (schema[k] as SchemaNode[]).every(
          (part) => part.$ref === undefined && part.type === undefined,
        ),
      );
    for (const key of composed) {
      (schema[key] as unknown[]).forEach((part, i) => {
        if (!narrowing) walk(part, `${where}.${key}[${i}]`);
      });
    }
    if (composed.length > 0 && !narrowing) return;
    if (Array.isArray(schema.enum)) return;
    switch (schema.type) {
      case 'object': {
        const properties = schema.properties as Record<string, unknown> | undefined;
        if (!properties && schema.additionalProperties === undefined) {
          problems.push(`${where}: an object without properties or additionalProperties`);
        }
        for (const [name, property] of Object.entries(properties ?? {})) {
          walk(property, `${where}.${name}`);
        }
        if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
          walk(schema.additionalProperties, `${where}[*]`);
        }
        return;
      }
      case 'array':
        walk(schema.items, `${where}[]`);
        return;
      case 'string':
      case 'number':
      case 'integer':
      case 'boolean':
        return;
      default:
        problems.push(`${where}: no type`);
    }
  };

  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(item)) {
      const responses = (operation as { responses?: Record<string, unknown> }).responses;
      if (!responses) continue;
      for (const [status, response] of Object.entries(responses)) {
        if (!/^2\d\d$/.test(status) || status === '204') continue;
        const where = `${method.toUpperCase()} ${path} ${status}`;
        const content = (response as { content?: Record<string, { schema?: unknown }> }).content;
        if (!content || Object.keys(content).length === 0) {
          problems.push(`${where}: no response schema`);
          continue;
        }
        for (const [type, media] of Object.entries(content)) walk(media.schema, `${where} ${type}`);
      }
    }
  }
  return problems;
}
