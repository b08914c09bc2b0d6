import type { ValidationError } from 'class-validator';
import type { FieldProblem } from '../domain-error';

/**
 * class-validator's nested errors as the flat list a problem+json carries: one entry per broken
 * constraint, the field named by its full path (`vouchers.0.code`), the message starting with it.
 */
export function validationProblems(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const e of errors) {
    const field = prefix ? `${prefix}.${e.property}` : e.property;
    for (const [code, message] of Object.entries(e.constraints ?? {})) {
      const msg =
        code === 'whitelistValidation' ? `${field} is not an accepted field` : message.replace(new RegExp(`^${e.property}\\b`), field);
      out.push({ field, code, message: msg });
    }
    if (e.children?.length) out.push(...validationProblems(e.children, field));
  }
  return out;
}
