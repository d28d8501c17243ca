import type { GoogleErrorBody } from '../../wire/business-messages.ts';

/**
 * google.rpc.Code names and the HTTP status Google's JSON/REST front end maps each to
 * (https://cloud.google.com/apis/design/errors#handling_errors).
 */
const HTTP_STATUS = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  INTERNAL: 500,
} as const;

export type GoogleStatus = keyof typeof HTTP_STATUS;

export interface FieldViolation {
  field: string;
  description: string;
}

/** An error the emulator answers in Google's error shape. `code` is the google.rpc status. */
export class GoogleApiError extends Error {
  readonly code: GoogleStatus;
  readonly httpStatus: number;
  readonly fieldViolations: FieldViolation[];
  readonly extraDetails: unknown[];

  constructor(
    code: GoogleStatus,
    message: string,
    options: { fieldViolations?: FieldViolation[]; httpStatus?: number; details?: unknown[] } = {},
  ) {
    super(message);
    this.name = 'GoogleApiError';
    this.code = code;
    this.httpStatus = options.httpStatus ?? HTTP_STATUS[code];
    this.fieldViolations = options.fieldViolations ?? [];
    this.extraDetails = options.details ?? [];
  }

  toBody(): GoogleErrorBody {
    const details: unknown[] = [...this.extraDetails];
    if (this.fieldViolations.length > 0) {
      details.unshift({
        '@type': 'type.googleapis.com/google.rpc.BadRequest',
        fieldViolations: this.fieldViolations,
      });
    }
    return {
      error: {
        code: this.httpStatus,
        message: this.message,
        status: this.code,
        ...(details.length > 0 ? { details } : {}),
      },
    };
  }
}

/** 400 INVALID_ARGUMENT naming one field (the common case for request validation). */
export function invalidArgument(
  field: string,
  description: string,
  message?: string,
): GoogleApiError {
  return new GoogleApiError('INVALID_ARGUMENT', message ?? description, {
    fieldViolations: [{ field, description }],
  });
}

/**
 * 401 as Google's front end words it: a missing credential and an unusable one are told
 * apart in the message and the ErrorInfo reason (CREDENTIALS_MISSING, ACCESS_TOKEN_EXPIRED,
 * ACCESS_TOKEN_TYPE_UNSUPPORTED); our own reason follows in parentheses.
 */
export function unauthenticated(
  reason: string,
  kind: 'missing' | 'expired' | 'invalid' = 'invalid',
): GoogleApiError {
  const lead =
    kind === 'missing'
      ? 'Request is missing required authentication credential.'
      : 'Request had invalid authentication credentials.';
  return new GoogleApiError(
    'UNAUTHENTICATED',
    `${lead} Expected OAuth 2 access token, login cookie or other valid authentication credential. (${reason})`,
    {
      details: [
        {
          '@type': 'type.googleapis.com/google.rpc.ErrorInfo',
          reason:
            kind === 'missing'
              ? 'CREDENTIALS_MISSING'
              : kind === 'expired'
                ? 'ACCESS_TOKEN_EXPIRED'
                : 'ACCESS_TOKEN_TYPE_UNSUPPORTED',
          domain: 'googleapis.com',
        },
      ],
    },
  );
}
