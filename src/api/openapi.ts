import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The access_token from POST /api/v1/auth/otp/verify',
  });
  return registry;
}

export function buildDocument(registry: OpenAPIRegistry, version: string) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'AxonBOS API',
      version,
      description:
        'Your Digital Employee over REST. Every response is the envelope { success, data, error, meta }. ' +
        'Rate limits per plan per minute, with X-RateLimit-* headers. Send Idempotency-Key on POSTs to retry safely.',
    },
    servers: [{ url: '/' }],
  });
}
