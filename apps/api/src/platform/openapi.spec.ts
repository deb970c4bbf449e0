import type { OpenAPIObject } from '@nestjs/swagger';
import { previewOpenApiDocument, responseSchemaProblems } from './openapi';

describe(responseSchemaProblems.name, () => {
  it('finds nothing untyped in the API’s own document: every 2xx JSON answer has a schema', async () => {
    const document = await previewOpenApiDocument();
    expect(responseSchemaProblems(document)).toEqual([]);
    // The routes the web app reads, by their schema (a sample that must never lose its type).
    const ok = (path: string, method = 'get'): unknown =>
      (document.paths[path] as Record<string, { responses: Record<string, any> }>)[method]
        .responses['200'].content['application/json'].schema;
    expect(ok('/api/v1/partnerships')).toEqual({
      $ref: '#/components/schemas/PartnershipPageView',
    });
    expect(ok('/api/v1/partnerships/{id}/timeline')).toEqual({
      $ref: '#/components/schemas/TimelinePageView',
    });
    expect(ok('/api/v1/partnerships/{id}/follow-ups')).toEqual({
      $ref: '#/components/schemas/FollowUpPlanView',
    });
    expect(ok('/health')).toEqual({ $ref: '#/components/schemas/HealthReportView' });
  }, 60_000);

  it('names each answer without a schema and each schema that does not say what it is', () => {
    const document = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {
        '/a': {
          get: { responses: { '200': { description: 'no content' } } },
          delete: { responses: { '204': { description: 'nothing to type' } } },
        },
        '/b': {
          post: {
            responses: {
              '201': { description: '', content: { 'application/json': { schema: {} } } },
              '400': { description: 'errors are not checked' },
            },
          },
        },
        '/c': {
          get: {
            responses: {
              '200': {
                description: '',
                content: { 'application/json': { schema: { $ref: '#/components/schemas/Page' } } },
              },
            },
          },
        },
      },
      components: {
        schemas: {
          Page: {
            type: 'object',
            properties: {
              items: { type: 'array', items: { $ref: '#/components/schemas/Item' } },
              missing: { $ref: '#/components/schemas/Nowhere' },
              loose: { type: 'object' },
              free: { type: 'object', additionalProperties: true },
              list: { type: 'array' },
              nullable: { nullable: true, allOf: [{ $ref: '#/components/schemas/Item' }] },
              narrowed: {
                type: 'object',
                properties: { id: { type: 'string' } },
                anyOf: [{ required: ['id'] }, { properties: { what: { $ref: '#/nowhere' } } }],
              },
            },
          },
          Item: { type: 'object', properties: { id: { type: 'string' }, what: {} } },
        },
      },
    } as unknown as OpenAPIObject;
    expect(responseSchemaProblems(document)).toEqual([
      'GET /a 200: no response schema',
      'POST /b 201 application/json: no type',
      'Item.what: no type',
      'Page.missing: #/components/schemas/Nowhere does not resolve',
      'Page.loose: an object without properties or additionalProperties',
      'Page.list[]: no schema',
    ]);
  });
});
