import { ValidationError, ValidationPipe } from '@nestjs/common';
import { CommonError, FieldProblem } from '@sillage/common';

/**
 * Whitelist validation for every body, query and param: unknown fields are refused (not silently
 * dropped), wrong types are not coerced, and every problem is reported with its dotted field path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const problems = flatten(errors);
      const first = problems[0];
      return new CommonError('VALIDATION_FAILED', problems.map((p) => p.message).join('; ') || 'invalid input', {
        field: first?.field,
        errors: problems,
      });
    },
  });
}

function flatten(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [code, message] of Object.entries(e.constraints ?? {})) {
      const msg =
        code === 'whitelistValidation' ? `${field} is not an accepted field` : message.replace(new RegExp(`^${e.property}\\b`), field);
      out.push({ field, code, message: msg });
    }
    if (e.children?.length) out.push(...flatten(e.children, field));
  }
  return out;
}
