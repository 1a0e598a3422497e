import { ERROR_STATUS, type ErrorCode } from './error-codes';

/**
 * The one error type thrown below a controller. It carries a stable code (mapped to an HTTP status by
 * DomainErrorFilter) and optional details that are safe to show to the caller.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}
