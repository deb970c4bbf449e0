import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsDefined,
  IsEmail,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  ValidationOptions,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from 'class-validator';
import { isValidTimeZone } from '@libs/domain';

/**
 * Property decorators that DTOs repeat, each a named composition of the class-validator and
 * Swagger decorators it stands for. Composed decorators apply as if written one above the other
 * (the last first), so the rules register, and their messages come out, in the same order.
 */
export function stacked(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, key) => {
    for (const decorator of [...decorators].reverse()) decorator(target, key);
  };
}

@ValidatorConstraint({ name: 'isTimeZone' })
class IsTimeZoneConstraint implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isValidTimeZone(value);
  }
  defaultMessage(): string {
    return 'timeZone must be an IANA time zone such as Europe/Madrid or Asia/Shanghai';
  }
}

/** An IANA time-zone name (Europe/Madrid, Asia/Shanghai). */
export function IsTimeZone(): PropertyDecorator {
  return Validate(IsTimeZoneConstraint);
}

/** Present (not undefined): unlike @IsOptional, null is refused. */
export function Given(options?: ValidationOptions): PropertyDecorator {
  return ValidateIf((_, value) => value !== undefined, options);
}

/** A whole number from `min` to `max`. */
export function IntegerFrom(min: number, max: number): PropertyDecorator {
  return stacked(IsInt(), Min(min), Max(max));
}

/** How a nested object may be left out: never, as undefined or null, or as undefined only. */
type Presence = 'required' | 'optional' | 'given';

const PRESENCE: Record<Presence, () => PropertyDecorator> = {
  required: () => IsDefined(),
  optional: () => IsOptional(),
  given: () => Given(),
};

/** An object of `type`, checked by its own rules, documented as that type. */
export function NestedObject(
  type: new () => object,
  presence: Presence,
  doc: ApiPropertyOptions = {},
): PropertyDecorator {
  const documented = presence === 'required' ? ApiProperty : ApiPropertyOptional;
  return stacked(
    documented({ type, ...doc }),
    PRESENCE[presence](),
    IsObject(),
    ValidateNested(),
    Type(() => type),
  );
}

/** A whole number, validated against the `minimum` and `maximum` it is documented with. */
export function IntegerField(
  doc: ApiPropertyOptions & { minimum: number; maximum: number },
  presence: 'required' | 'given' = 'required',
): PropertyDecorator {
  return presence === 'required'
    ? stacked(ApiProperty(doc), IntegerFrom(doc.minimum, doc.maximum))
    : stacked(ApiPropertyOptional(doc), Given(), IntegerFrom(doc.minimum, doc.maximum));
}

/** A person's name: 1 to 200 characters. */
export function PersonName(example: string): PropertyDecorator {
  return stacked(ApiProperty({ example }), IsString(), Length(1, 200));
}

/** An e-mail address, at most 320 characters (RFC 5321). */
export function EmailAddress(example: string): PropertyDecorator {
  return stacked(ApiProperty({ example }), IsEmail(), Length(3, 320));
}
