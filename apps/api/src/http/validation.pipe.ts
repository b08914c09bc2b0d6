import { ArgumentMetadata, ValidationPipe } from '@nestjs/common';
import { CommonError, fastBodyCheck, validationProblems } from '@sillage/common';

/**
 * Whitelist validation for every body, query and param: unknown fields are refused (not silently
 * dropped), wrong types are not coerced, and every problem is reported with its dotted field path.
 */
export function createValidationPipe(): ValidationPipe {
  return new ObjectBodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const problems = validationProblems(errors);
      const first = problems[0];
      return new CommonError('VALIDATION_FAILED', problems.map((p) => p.message).join('; ') || 'invalid input', {
        field: first?.field,
        errors: problems,
      });
    },
  });
}

const PRIMITIVES: unknown[] = [String, Boolean, Number, Array, Object];

/**
 * A DTO body must be a JSON object: `[]`, `null` or a bare scalar is refused naming `body`. No body at
 * all counts as `{}`, so optional-body routes work and required fields are named one by one.
 */
class ObjectBodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDtoBody = metadata.type === 'body' && typeof metadata.metatype === 'function' && !PRIMITIVES.includes(metadata.metatype);
    if (isDtoBody && value === undefined) return super.transform({}, metadata);
    if (isDtoBody && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      const message = 'the body must be a JSON object';
      throw new CommonError('VALIDATION_FAILED', message, { field: 'body', errors: [{ field: 'body', code: 'isObject', message }] });
    }
    // A hot route's hand-written check (see FastBodyCheck): the DTO when the body is valid as it is.
    const fast = isDtoBody ? fastBodyCheck(metadata.metatype)?.(value as Record<string, unknown>) : undefined;
    return fast ?? super.transform(value, metadata);
  }
}
