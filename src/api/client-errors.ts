import { randomUUID } from 'node:crypto';
import { type Server, STATUS_CODES } from 'node:http';

/**
 * Requests Node rejects before Express sees them (headers over 16 KB, malformed HTTP) still get the
 * envelope, instead of Node's bare 400/431 with an empty body.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const requestId = randomUUID();
    const body = JSON.stringify({
      success: false,
      data: null,
      error: tooLarge
        ? { code: 'headers_too_large', message: 'The request line or headers are too large.' }
        : { code: 'bad_request', message: 'The request is not valid HTTP.' },
      meta: { request_id: requestId, timestamp: new Date().toISOString() },
    });
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nX-Content-Type-Options: nosniff\r\n` +
        `X-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
