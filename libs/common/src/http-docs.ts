import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import { CommonError } from './domain-error';

const PROBLEMS: Record<number, string> = {
  400: 'Invalid input (`code`: VALIDATION_FAILED, MALFORMED_JSON, INVALID_CURSOR or a domain code; `field` names the input)',
  401: 'Missing, invalid or expired credentials, or a revoked API key',
  403: 'The caller’s role (or an API key) may not do this',
  404: 'Not found, or outside the caller’s relationships (also for malformed ids)',
  409: 'Conflicts with existing data',
  413: 'Body larger than the limit',
};

/** Documents the problem+json answers a route may give, in the same words for every module. */
export const ApiProblems = (...statuses: (keyof typeof PROBLEMS)[]): MethodDecorator =>
  applyDecorators(
    ...statuses.map((status) =>
      ApiResponse({ status, description: PROBLEMS[status], content: { 'application/problem+json': { schema: { type: 'object' } } } }),
    ),
  );

/** A PATCH body with no field is refused rather than silently accepted. */
export function requireSomeField(body: object): void {
  if (!Object.values(body).some((v) => v !== undefined)) {
    throw new CommonError('VALIDATION_FAILED', 'send at least one field to change', { field: 'body' });
  }
}
