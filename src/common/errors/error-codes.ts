/**
 * Every error code the API can answer with, and its HTTP status. A `Record` over the code union makes the
 * mapping exhaustive: adding a code without a status is a compile error.
 */
export const ERROR_STATUS = {
  'REQUEST.VALIDATION_FAILED': 400,
  'REQUEST.UNPROCESSABLE': 422,
  'REQUEST.TOO_LARGE': 413,
  'REQUEST.RATE_LIMITED': 429,
  'AUTH.INVALID_CREDENTIALS': 401,
  'AUTH.UNAUTHENTICATED': 401,
  'AUTH.FORBIDDEN': 403,
  'USER.EMAIL_TAKEN': 409,
  'USER.NOT_FOUND': 404,
  'DIRECTORY.NOT_FOUND': 404,
  'DIRECTORY.CODE_TAKEN': 409,
  'DIRECTORY.UNKNOWN_REFERENCE': 422,
  'LIST.INVALID_CURSOR': 400,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;
