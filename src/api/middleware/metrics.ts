import { createHash, timingSafeEqual } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { RequestHandler } from 'express';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';
import { sendError } from '../envelope.ts';

/** Prometheus metrics: request durations by route and status, plus the process defaults, at /metrics. */
export function httpMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const duration = new Histogram({
    name: 'axon_http_request_duration_seconds',
    help: 'HTTP request duration by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = duration.startTimer();
    res.on('finish', () => {
      // The matched route pattern, not the raw URL, so ids do not explode the label set.
      const route = req.route?.path ? `${req.baseUrl}${req.route.path}` : 'unmatched';
      end({ method: req.method, route, status: String(res.statusCode) });
    });
    next();
  };
  const handler: RequestHandler = async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };
  return { middleware, handler };
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** The client as Express sees it (through trusted proxies only), on a loopback address: 127/8, ::1, mapped. */
const isLoopbackClient = (ip: string | undefined) => {
  const family = isIP(ip ?? '');
  return family !== 0 && loopback.check(ip ?? '', family === 4 ? 'ipv4' : 'ipv6');
};

// Hashed first so the comparison takes the same time whatever the lengths.
const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Who may read /metrics (the Node version, per-route counts): with METRICS_TOKEN, only a caller sending
 * `Authorization: Bearer <token>`; without it, only a client on this machine.
 */
export function metricsAccess(token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return (req, res, next) => {
    if (expected) {
      const given = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1] ?? '';
      if (timingSafeEqual(digest(given), expected)) return next();
      res.setHeader('WWW-Authenticate', 'Bearer realm="metrics"');
      return sendError(res, 401, {
        code: 'unauthorized',
        message: 'Send the metrics token as a bearer token.',
      });
    }
    if (isLoopbackClient(req.ip)) return next();
    sendError(res, 403, {
      code: 'forbidden',
      message: 'Metrics are readable from this machine only; set METRICS_TOKEN to read them from elsewhere.',
    });
  };
}
