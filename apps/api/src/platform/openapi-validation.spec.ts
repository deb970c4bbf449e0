import type { OpenAPIObject } from '@nestjs/swagger';
import { ArrayMinSize, IsArray, IsHexColor, IsOptional, IsString, Length } from 'class-validator';
import { documentValidationRules } from './openapi-validation';
import { previewOpenApiDocument } from './openapi';

type Schema = Record<string, any>;

describe(documentValidationRules.name, () => {
  let document: OpenAPIObject;
  const schema = (name: string): Schema => document.components!.schemas![name] as Schema;
  /** The one header parameter of that name (any case) of the POST at `path`. */
  const header = (path: string, name: string): Schema => {
    const found = ((document.paths[path].post!.parameters ?? []) as Schema[]).filter(
      (p) => p.in === 'header' && String(p.name).toLowerCase() === name.toLowerCase(),
    );
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    document = await previewOpenApiDocument();
  }, 60_000);

  it('leaves no validator rule of a request DTO out of the document (drift)', () => {
    // On a copy: the other tests read the document as served.
    expect(documentValidationRules(structuredClone(document))).toEqual([]);
  });

  it('carries the limits the fuzzer was refused for', () => {
    const organisation = schema('PartnerOrganisationDto').properties;
    expect(organisation.name).toMatchObject({ type: 'string', minLength: 1, maxLength: 200 });
    expect(organisation.country.enum).toEqual(expect.arrayContaining(['ES', 'CN']));
    expect(organisation.country.enum).not.toContain('XX');
    expect(schema('PartnerOrganisationDto').allOf).toEqual([
      { anyOf: [{ required: ['id'] }, { required: ['name', 'country', 'kind'] }] },
    ]);
    expect(schema('CreatePartnershipDto').properties.organisations).toMatchObject({
      minItems: 2,
    });
    expect(schema('SubjectDto').properties.text).toMatchObject({
      minLength: 1,
      maxLength: 20_000,
    });
    expect(schema('CreateWebhookDto').properties.partnershipIds).toMatchObject({
      minItems: 1,
      maxItems: 1000,
      items: { format: 'uuid' },
    });
    expect(schema('CreateWebhookDto').additionalProperties).toBe(false);
    for (const path of ['/api/v1/partnerships', '/api/v1/webhooks']) {
      expect(header(path, 'Idempotency-Key').required).toBe(false);
      expect(header(path, 'Idempotency-Key').schema).toEqual({
        type: 'string',
        pattern: '^[\\x21-\\x7e]{1,200}$',
      });
    }
    expect(header('/api/v1/partnerships/{id}/approvals', 'Idempotency-Key').schema.pattern).toBe(
      '^[\\x21-\\x7e]{1,200}$',
    );
  });

  it('writes each rule into its DTO’s schema and names what it cannot, or what disagrees', () => {
    class DriftProbeDto {
      @IsString()
      @Length(2, 10)
      name!: string;

      @IsOptional()
      @IsArray()
      @ArrayMinSize(1)
      @IsString({ each: true })
      tags?: string[];

      @IsHexColor()
      colour!: string;

      @IsString()
      @Length(1, 5)
      short!: string;

      @IsString()
      @Length(3, 8)
      tight!: string;

      @IsString()
      hidden!: string;
    }
    const probe = {
      openapi: '3.0.0',
      info: { title: 't', version: '1' },
      paths: {},
      components: {
        schemas: {
          [DriftProbeDto.name]: {
            type: 'object',
            properties: {
              name: { type: 'string' },
              tags: { type: 'array', items: {} },
              colour: { type: 'string' },
              short: { type: 'string', maxLength: 50 },
              tight: { type: 'string', minLength: 4, maxLength: 6 },
            },
          },
        },
      },
    } as unknown as OpenAPIObject;
    expect(documentValidationRules(probe)).toEqual([
      'DriftProbeDto.colour: isHexColor cannot be stated in the schema',
      'DriftProbeDto.short: the document says maxLength 50, the validator 5',
      'DriftProbeDto.hidden: validated, not in the document',
    ]);
    expect(probe.components!.schemas![DriftProbeDto.name]).toEqual({
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 2, maxLength: 10 },
        tags: { type: 'array', minItems: 1, items: { type: 'string' } },
        colour: { type: 'string' },
        short: { type: 'string', minLength: 1, maxLength: 50 },
        tight: { type: 'string', minLength: 4, maxLength: 6 },
      },
      required: ['name', 'colour', 'short', 'tight'],
      additionalProperties: false,
    });
  });
});
