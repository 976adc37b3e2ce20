/** A refused or failed call: the API's error envelope, or what stood in for it. */
export class AxonError extends Error {
  override readonly name = 'AxonError';
  /** The HTTP status; 0 when no answer came (the network failed or the call timed out). */
  readonly status: number;
  /** The envelope's stable code (`not_found`, `validation_error`, `insufficient_scope`, …). */
  readonly code: string;
  /** `meta.request_id` (or the `X-Request-Id` header): quote it to support. */
  readonly requestId: string | null;
  readonly details: unknown;

  constructor(
    status: number,
    error: { code: string; message: string; details?: unknown },
    requestId: string | null,
    options?: { cause?: unknown },
  ) {
    super(error.message, options);
    this.status = status;
    this.code = error.code;
    this.requestId = requestId;
    this.details = error.details;
  }
}

/** The error of a non-2xx answer, from its envelope when it has one (a proxy's HTML page has none). */
export async function errorOf(response: Response): Promise<AxonError> {
  const text = await response.text();
  const headerId = response.headers.get('x-request-id');
  let envelope: {
    error?: { code?: unknown; message?: unknown; details?: unknown };
    meta?: { request_id?: unknown };
  };
  try {
    envelope = JSON.parse(text);
  } catch {
    envelope = {};
  }
  const { error, meta } = envelope ?? {};
  const requestId = typeof meta?.request_id === 'string' ? meta.request_id : headerId;
  if (typeof error?.code === 'string' && typeof error.message === 'string') {
    return new AxonError(
      response.status,
      { code: error.code, message: error.message, details: error.details },
      requestId,
    );
  }
  return new AxonError(
    response.status,
    { code: `http_${response.status}`, message: `HTTP ${response.status} ${response.statusText}`.trim() },
    requestId,
  );
}
