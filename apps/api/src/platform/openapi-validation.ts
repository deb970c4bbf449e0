import type { OpenAPIObject } from '@nestjs/swagger';
import { getMetadataStorage } from 'class-validator';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';
import { CountryCodes } from 'validator/lib/isISO31661Alpha2';

/**
 * The validators' limits in the OpenAPI document. The request DTOs' class-validator rules are what
 * the API enforces; the @ApiProperty decorators only say what their authors wrote down. This
 * reads every rule from class-validator's metadata and writes what it means into the schema of its
 * DTO (a component schema of the same name): lengths, patterns, item counts, enums, formats,
 * bounds, which properties are required, and that no other property is accepted (the validation
 * pipe refuses unknown fields). A limit the decorators already state must keep within the rule (it may be tighter:
 * the password rules count characters that MaxLength counts in UTF-16 units).
 */

type Schema = Record<string, unknown>;

/**
 * Rules the document cannot state as JSON Schema, by `Class.property rule`, with why. Their
 * properties still carry every other rule; a new rule that the document cannot state fails the
 * drift test until it is listed here with its reason.
 */
export const RULES_BEYOND_THE_SCHEMA: Record<string, string> = {
  'ContactDto.timeZone isTimeZone':
    'any IANA zone the runtime knows (Intl): a list of some 400 names, told in the description',
  'CoordinatorFollowUpPatchDto.timeZone isTimeZone':
    'any IANA zone the runtime knows (Intl): a list of some 400 names, told in the description',
  'ChangeContactDto.timeZone isTimeZone':
    'any IANA zone the runtime knows (Intl): a list of some 400 names, told in the description',
  'UpdateMeDto.timeZone isTimeZone':
    'any IANA zone the runtime knows (Intl): a list of some 400 names, told in the description',
  'UpdateUserDto.timeZone isTimeZone':
    'any IANA zone the runtime knows (Intl): a list of some 400 names, told in the description',
  'CreateCalendarEventDto.timeZone isTimeZone':
    'any IANA zone the runtime knows (Intl): a list of some 400 names, told in the description',
  'SubjectDto.link isUrl':
    'an http(s) URL with its protocol: documented as format uri, which validator.js reads more strictly',
  'CreateWebhookDto.url isUrl':
    'an http(s) URL (host rules in the webhooks service): documented as format uri',
  'UpdateWebhookDto.url isUrl':
    'an http(s) URL (host rules in the webhooks service): documented as format uri',
};

/**
 * Properties that @ValidateIf requires only in some cases, told by the case (class-validator keeps
 * the condition as a function, which cannot be read): each DTO's schema must match one of these.
 */
export const REQUIRED_WHEN: Record<string, Schema[]> = {
  PartnerOrganisationDto: [{ required: ['id'] }, { required: ['name', 'country', 'kind'] }],
  RuleDto: [{ properties: { kind: { enum: ['all', 'any'] } } }, { required: ['n'] }],
  SubjectDto: [
    { properties: { kind: { enum: ['gate'] } } },
    { properties: { kind: { enum: ['task'] } }, required: ['taskId'] },
    { properties: { kind: { enum: ['document'] } }, required: ['title'] },
  ],
};

/** Rules that decide whether the others run; their meaning for `required` is read apart. */
const CONDITIONS = new Set(['isOptional', 'conditionalValidation']);

const isSchema = (v: unknown): v is Schema => !!v && typeof v === 'object' && !Array.isArray(v);

const LOWER_BOUNDS = new Set(['minLength', 'minimum', 'minItems']);
const UPPER_BOUNDS = new Set(['maxLength', 'maximum', 'maxItems']);

/**
 * Whether what the decorators say (`said`) keeps within the rule (`rule`): a bound may be
 * tighter, an enum a part of the rule's values (null aside: @ValidateIf lets it through before
 * the rule runs), anything else must be the same.
 */
function within(key: string, said: unknown, rule: unknown): boolean {
  if (typeof said === 'number' && typeof rule === 'number') {
    if (LOWER_BOUNDS.has(key)) return said >= rule;
    if (UPPER_BOUNDS.has(key)) return said <= rule;
  }
  if (Array.isArray(said) && Array.isArray(rule)) {
    return said.every((v) => v === null || rule.includes(v));
  }
  return said === rule;
}

/** Sets `key` on `schema`, or reports a document looser than the validator. */
function put(schema: Schema, key: string, value: unknown, where: string, out: string[]): void {
  if (schema[key] === undefined) schema[key] = value;
  else if (!within(key, schema[key], value)) {
    out.push(
      `${where}: the document says ${key} ${JSON.stringify(schema[key])}, the validator ${JSON.stringify(value)}`,
    );
  }
}

/** What one rule means for the schema of the value it checks; false when it cannot be said. */
function apply(
  rule: ValidationMetadata,
  name: string,
  schema: Schema,
  where: string,
  out: string[],
): boolean {
  const c = (rule.constraints ?? []) as unknown[];
  switch (name) {
    case 'isDefined':
    case 'nestedValidation':
    case 'isObject':
      return true;
    case 'isString':
      put(schema, 'type', 'string', where, out);
      return true;
    case 'isBoolean':
      put(schema, 'type', 'boolean', where, out);
      return true;
    case 'isArray':
      put(schema, 'type', 'array', where, out);
      return true;
    case 'isInt':
      // The decorators may say number; an integer is what is accepted.
      schema.type = 'integer';
      return true;
    case 'isLength':
      if (typeof c[0] === 'number') put(schema, 'minLength', c[0], where, out);
      if (typeof c[1] === 'number') put(schema, 'maxLength', c[1], where, out);
      return true;
    case 'minLength':
      put(schema, 'minLength', c[0], where, out);
      return true;
    case 'maxLength':
      put(schema, 'maxLength', c[0], where, out);
      return true;
    case 'min':
      put(schema, 'minimum', c[0], where, out);
      return true;
    case 'max':
      put(schema, 'maximum', c[0], where, out);
      return true;
    case 'arrayMinSize':
      put(schema, 'minItems', c[0], where, out);
      return true;
    case 'arrayMaxSize':
      put(schema, 'maxItems', c[0], where, out);
      return true;
    case 'arrayUnique':
      put(schema, 'uniqueItems', true, where, out);
      return true;
    case 'isIn':
      put(schema, 'enum', [...(c[0] as unknown[])], where, out);
      return true;
    case 'isUuid':
      put(schema, 'format', 'uuid', where, out);
      return true;
    case 'isEmail':
      put(schema, 'format', 'email', where, out);
      return true;
    case 'isDateString':
      put(schema, 'format', 'date-time', where, out);
      return true;
    case 'isUrl':
      put(schema, 'format', 'uri', where, out);
      return false;
    case 'isISO31661Alpha2':
      put(schema, 'enum', [...CountryCodes].sort(), where, out);
      return true;
    case 'matches': {
      const pattern = c[0] as RegExp | string;
      if (pattern instanceof RegExp && pattern.flags) return false;
      if (typeof c[1] === 'string' && c[1]) return false;
      put(schema, 'pattern', pattern instanceof RegExp ? pattern.source : pattern, where, out);
      return true;
    }
    default:
      return false;
  }
}

/** The name of a rule: class-validator's own, or a custom constraint's. */
function ruleName(rule: ValidationMetadata): string {
  if (rule.name) return rule.name;
  if (rule.type !== 'customValidation') return rule.type;
  const constraint = getMetadataStorage()
    .getTargetValidatorConstraints(rule.constraintCls)
    .find((m) => m.name);
  return constraint?.name ?? 'customValidation';
}

/** The schema of a property's value, followed through `allOf: [one]`; undefined for a `$ref`. */
function valueSchema(property: Schema): Schema | undefined {
  if (typeof property.$ref === 'string') return undefined;
  return property;
}

/**
 * Writes the validators' rules into `document` (see above) and returns what it could not: each
 * rule the schema cannot state that RULES_BEYOND_THE_SCHEMA does not list, each validated property
 * the document does not have, and each limit the decorators state otherwise than the validator.
 */
export function documentValidationRules(document: OpenAPIObject): string[] {
  const schemas = (document.components?.schemas ?? {}) as Record<string, Schema>;
  const problems: string[] = [];
  const unstated = new Set<string>();
  const storage = getMetadataStorage() as unknown as {
    validationMetadatas: Map<new () => unknown, ValidationMetadata[]>;
  };
  for (const [target, rules] of storage.validationMetadatas) {
    const schema = schemas[target.name];
    if (!schema) continue;
    const properties = (schema.properties ?? {}) as Record<string, Schema>;
    const byProperty = new Map<string, ValidationMetadata[]>();
    for (const rule of rules) {
      byProperty.set(rule.propertyName, [...(byProperty.get(rule.propertyName) ?? []), rule]);
    }
    const required = new Set((schema.required as string[] | undefined) ?? []);
    for (const [property, propertyRules] of byProperty) {
      const where = `${target.name}.${property}`;
      const documented = properties[property];
      if (!documented) {
        problems.push(`${where}: validated, not in the document`);
        continue;
      }
      const conditional = propertyRules.some((r) => CONDITIONS.has(ruleName(r)));
      if (!conditional) required.add(property);
      for (const rule of propertyRules) {
        const name = ruleName(rule);
        if (CONDITIONS.has(name)) continue;
        const own = valueSchema(documented);
        let subject: Schema | undefined = own;
        if (rule.each) {
          const items = own?.items;
          subject = isSchema(items) ? valueSchema(items) : undefined;
        }
        if (!subject) continue; // a nested DTO: its own schema carries its rules
        const said = apply(rule, name, subject, where, problems);
        if (said) continue;
        unstated.add(`${where} ${name}`);
        if (!RULES_BEYOND_THE_SCHEMA[`${where} ${name}`]) {
          problems.push(`${where}: ${name} cannot be stated in the schema`);
        }
      }
    }
    if (required.size > 0) schema.required = [...required];
    // In allOf, so that the generated client types stay the object's (an intersection with
    // the cases, which carry no types of their own).
    const cases = REQUIRED_WHEN[target.name];
    if (cases) schema.allOf = [...((schema.allOf as Schema[]) ?? []), { anyOf: cases }];
    // The validation pipe refuses fields a DTO does not declare (forbidNonWhitelisted).
    schema.additionalProperties = false;
  }
  for (const listed of Object.keys(RULES_BEYOND_THE_SCHEMA)) {
    if (!unstated.has(listed) && schemas[listed.split('.')[0]]) {
      problems.push(
        `${listed}: listed in RULES_BEYOND_THE_SCHEMA, but no such rule is left unstated`,
      );
    }
  }
  return problems;
}
