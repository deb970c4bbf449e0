import { ValidationError, ValidationPipe } from '@nestjs/common';
import { DomainError, ErrorCode, FieldProblem } from '../../../../libs/domain';

/** Flattens class-validator's tree into `organisations[0].contacts[1].email`-style field names. */
export function fieldProblems(errors: ValidationError[], parent = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = /^\d+$/.test(e.property)
      ? `${parent}[${e.property}]`
      : parent
        ? `${parent}.${e.property}`
        : e.property;
    if (e.constraints) {
      out.push({
        field,
        messages: Object.entries(e.constraints).map(([rule, message]) =>
          rule === 'whitelistValidation' ? `${field} is not an accepted field` : message,
        ),
      });
    }
    if (e.children?.length) out.push(...fieldProblems(e.children, field));
  }
  return out;
}

/** Whitelists every body and query: unknown fields are refused, values converted to their types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: (errors) => {
      const problems = fieldProblems(errors);
      return new DomainError(
        ErrorCode.VALIDATION_FAILED,
        `Invalid request: ${problems.map((p) => p.field).join(', ')}`,
        { errors: problems },
      );
    },
  });
}
