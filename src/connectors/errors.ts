/**
 * How a vendor call failed, in the three kinds the sync engine acts on. None of them carries a credential:
 * a message is ours or the vendor's own error text, never a request header or body.
 */

/** The vendor refused the credentials (a 401, a revoked refresh token): the connection is disconnected. */
export class ConnectorAuthError extends Error {
  constructor(
    readonly connector: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorAuthError';
  }
}

/** Anything else: the vendor down, a network error, a 429 that outlasted the retries. Tried again later. */
export class ConnectorError extends Error {
  constructor(
    readonly connector: string,
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}

/** Set-up that only the owner can finish (no organisation in the account, a missing permission). */
export class ConnectorSetupError extends Error {
  constructor(
    readonly connector: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConnectorSetupError';
  }
}
