import type { ErrorCode } from '../common/errors.ts';

/** Domain errors; the HTTP error handler maps each to its status and the `{ error }` body. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown;

  constructor(code: ErrorCode, status: number, message: string, details?: unknown) {
    super(message);
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export class Invalid extends AppError {
  constructor(message: string, details?: unknown) {
    super('invalid', 400, message, details);
  }
}

export class Unauthenticated extends AppError {
  constructor(message = 'Sign in to continue') {
    super('unauthenticated', 401, message);
  }
}

export class Forbidden extends AppError {
  constructor(message = 'You do not have permission to do that') {
    super('forbidden', 403, message);
  }
}

export class CsrfRejected extends AppError {
  constructor() {
    super('csrf', 403, 'Missing or invalid CSRF token; reload the page and try again');
  }
}

/** Also used for another district's resources, so they cannot be told apart from missing ones. */
export class NotFound extends AppError {
  constructor(what = 'Resource') {
    super('not_found', 404, `${what} not found`);
  }
}

export class Conflict extends AppError {
  constructor(message: string, details?: unknown) {
    super('conflict', 409, message, details);
  }
}

export type ProviderFailure =
  | 'rate_limited'
  | 'auth_revoked'
  | 'transient'
  | 'malformed'
  | 'unavailable'
  | 'budget_exceeded';

export class ProviderError extends AppError {
  readonly reason: ProviderFailure;

  constructor(reason: ProviderFailure, message: string, details?: unknown) {
    super('provider', 502, message, details);
    this.reason = reason;
  }
}
