/**
 * Graph's OData error bodies: `{"error":{"code","message","innerError":{"date","request-id",
 * "client-request-id"}}}` (microsoft-graph-docs-contrib `concepts/errors.md`). Errors raised by Intune
 * itself carry Intune's own JSON, serialised into `message` (`{"_version": 3, "Message": "… - Operation ID …
 * - Activity ID … - Url: …", …}`), as answers quoted in issues show.
 */

export interface GraphResult {
  status: number;
  headers: Record<string, string>;
  /** A JSON value, or a raw body in `text`. */
  json?: unknown;
  text?: string;
  /** OData error code, for the request log. */
  error?: string;
  resultCount?: number;
}

/** What every Graph answer carries about its request. */
export interface GraphRequestInfo {
  requestId: string;
  clientRequestId: string;
  at: number;
}

export const ODATA_CONTENT_TYPE =
  'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

const WWW_AUTHENTICATE =
  'Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", client_id="00000003-0000-0000-c000-000000000000"';

const STATUS_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  405: 'BadRequest',
  409: 'Conflict',
  424: 'FailedDependency',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
  504: 'GatewayTimeout',
};

/** Graph's `innerError.date`: seconds, no zone. */
function innerDate(at: number): string {
  return new Date(at).toISOString().slice(0, 19);
}

export function odataError(
  info: GraphRequestInfo,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): GraphResult {
  return {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
    json: {
      error: {
        code,
        message,
        innerError: {
          date: innerDate(info.at),
          'request-id': info.requestId,
          'client-request-id': info.clientRequestId,
        },
      },
    },
    error: code,
  };
}

/** An error Intune raised, its own JSON in `message`. */
export function intuneError(
  info: GraphRequestInfo,
  status: number,
  code: string,
  text: string,
  path: string,
  headers: Record<string, string> = {},
): GraphResult {
  const url = `https://fef.msua06.manage.microsoft.com/DeviceFE/StatelessDeviceFEService${path}?api-version=2024-06-14`;
  const intune = {
    _version: 3,
    Message: `${text} - Operation ID (for customer support): 00000000-0000-0000-0000-000000000000 - Activity ID: ${info.requestId} - Url: ${url}`,
    CustomApiErrorPhrase: '',
    RetryAfter: null,
    ErrorSourceService: '',
    HttpHeaders: '{}',
  };
  return odataError(info, status, code, JSON.stringify(intune, null, 2).replace(/\n/g, '\r\n'), headers);
}

const unauthenticated = (info: GraphRequestInfo, message: string) =>
  odataError(info, 401, 'InvalidAuthenticationToken', message, { 'WWW-Authenticate': WWW_AUTHENTICATE });

export const graphErrors = {
  emptyToken: (info: GraphRequestInfo) => unauthenticated(info, 'Access token is empty.'),
  malformedToken: (info: GraphRequestInfo) =>
    unauthenticated(
      info,
      "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format. (JWS): 'EncodedHeader.EndcodedPayload.EncodedSignature'. (JWE): 'EncodedProtectedHeader.EncodedEncryptedKey.EncodedInitializationVector.EncodedCiphertext.EncodedAuthenticationTag'.",
    ),
  invalidToken: (info: GraphRequestInfo) => unauthenticated(info, 'Access token validation failure.'),
  expiredToken: (info: GraphRequestInfo) =>
    unauthenticated(info, 'Access token has expired or is not yet valid.'),
  missingPermission: (info: GraphRequestInfo, path: string, permissions: readonly string[]) =>
    intuneError(
      info,
      403,
      'Forbidden',
      `Application is not authorized to perform this operation. Application must have one of the following scopes: ${permissions.join(', ')}`,
      path,
    ),
  notLicensed: (info: GraphRequestInfo) =>
    odataError(info, 400, 'BadRequest', 'Request not applicable to target tenant.'),
  deviceNotFound: (info: GraphRequestInfo, path: string) =>
    intuneError(info, 404, 'ResourceNotFound', 'Resource not found', path),
  unknownSegment: (info: GraphRequestInfo, segment: string) =>
    odataError(info, 400, 'BadRequest', `Resource not found for the segment '${segment}'.`),
  invalidVersion: (info: GraphRequestInfo, version: string) =>
    odataError(info, 400, 'BadRequest', `Invalid version: ${version}`),
  methodNotAllowed: (info: GraphRequestInfo) =>
    odataError(info, 405, 'BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  badQuery: (info: GraphRequestInfo, message: string) => odataError(info, 400, 'BadRequest', message),
  throttled: (info: GraphRequestInfo, code: string, retryAfterSeconds: number | null) =>
    odataError(
      info,
      429,
      code,
      'Too many requests.',
      retryAfterSeconds === null ? {} : { 'Retry-After': String(retryAfterSeconds) },
    ),
  /** An injected failure: the usual code for its status. */
  status: (info: GraphRequestInfo, status: number, retryAfterSeconds: number | null) =>
    odataError(
      info,
      status,
      STATUS_CODES[status] ?? 'UnknownError',
      status >= 500 ? 'The service is currently unavailable.' : `Injected failure ${status}.`,
      retryAfterSeconds === null ? {} : { 'Retry-After': String(retryAfterSeconds) },
    ),
};
