import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';

export function createRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'The access_token from POST /api/v1/auth/otp/verify',
  });
  registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description:
      'An API key from POST /api/v1/api-keys (axk_live_… / axk_test_…), as X-API-Key or as Authorization: Bearer. ' +
      'Each operation names the scope a key needs.',
  });
  return registry;
}

export function buildDocument(registry: OpenAPIRegistry, version: string) {
  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'AxonBOS API',
      version,
      description:
        'Your Digital Employee over REST. Every response is the envelope { success, data, error, meta }. ' +
        'Rate limits per plan per minute, with X-RateLimit-* headers. Send Idempotency-Key on POSTs to retry safely.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-AxonBOS' },
      contact: { name: 'AxonBOS API support', email: 'api@axonbos.in' },
    },
    servers: [{ url: '/' }],
  });
  for (const operations of Object.values(document.paths ?? {})) {
    for (const operation of Object.values(operations)) {
      if (typeof operation !== 'object' || !('parameters' in operation)) continue;
      for (const parameter of operation.parameters ?? []) {
        // An optional filter carries no example: a reference page fills examples in, and a reader's first
        // try would come back filtered to the example's date, usually empty.
        if ('in' in parameter && parameter.in === 'query' && !parameter.required && parameter.schema) {
          delete (parameter.schema as { example?: unknown }).example;
        }
      }
    }
  }
  return document;
}
