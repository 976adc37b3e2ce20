import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../src/config.ts';
import { ConnectorSetupError } from '../../../src/connectors/errors.ts';
import { createRateLimiter, createVendorClient } from '../../../src/connectors/http.ts';
import {
  ResidencyError,
  type ResidencyPolicy,
  residencyRefusal,
  residentFetch,
} from '../../../src/domain/net/residency.ts';

// DATA_RESIDENCY=in: business data goes only to endpoints served from India (listed, or known), or stays on
// this machine and the business's own network; refused at start and before every call, naming the host.

const india: ResidencyPolicy = { mode: 'in', allowedHosts: ['llm.example.in', '.gpu.internal.in'] };

describe('Indian data residency', () => {
  it('allows listed and known Indian endpoints, this machine and the own network; refuses the rest', () => {
    const ok = (url: string) => residencyRefusal(india, url, 'data') === null;
    expect(ok('https://llm.example.in/v1')).toBe(true);
    expect(ok('https://a.gpu.internal.in/v1')).toBe(true);
    expect(ok('https://api.razorpay.com/v1/payments')).toBe(true);
    expect(ok('https://www.zohoapis.in/books/v3/invoices')).toBe(true);
    expect(ok('http://localhost:11434/v1')).toBe(true);
    expect(ok('http://127.0.0.1:9000/')).toBe(true);
    expect(ok('http://192.168.1.20:9000/')).toBe(true);
    expect(ok('https://api.openai.com/v1')).toBe(false);
    expect(ok('https://www.zohoapis.com/books/v3/invoices')).toBe(false);
    expect(ok('https://evil-llm.example.in.attacker.com/')).toBe(false);
    expect(residencyRefusal(india, 'https://api.openai.com/v1', 'conversations to the model')).toBe(
      'DATA_RESIDENCY=in refuses to send conversations to the model to api.openai.com: list it in RESIDENCY_ALLOWED_HOSTS only if it is served from India',
    );
    expect(residencyRefusal({ mode: 'off', allowedHosts: [] }, 'https://api.openai.com/v1', 'x')).toBeNull();
  });

  it('refuses to start when a configured endpoint is not allowed, naming the setting and the host', () => {
    expect(() =>
      loadConfig({ DATA_RESIDENCY: 'in', OPENAI_API_KEY: 'sk-test', DATA_DIR: 'memory://' }),
    ).toThrow(
      /OPENAI_BASE_URL: DATA_RESIDENCY=in refuses to send conversations to the model to api\.openai\.com/,
    );
    expect(() =>
      loadConfig({
        DATA_RESIDENCY: 'in',
        CONNECTOR_SHOPIFY_BASE_URL: 'https://shop.myshopify.com/',
        DATA_DIR: 'memory://',
      }),
    ).toThrow(
      /CONNECTOR_SHOPIFY_BASE_URL: DATA_RESIDENCY=in refuses to send shopify data to shop\.myshopify\.com/,
    );
    const allowed = loadConfig({
      DATA_RESIDENCY: 'in',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'https://llm.example.in/v1',
      RESIDENCY_ALLOWED_HOSTS: 'LLM.example.in',
      DATA_DIR: 'memory://',
    });
    expect(allowed.DATA_RESIDENCY).toBe('in');
    // The offline model and the lexical embedder send nothing: they always comply.
    expect(loadConfig({ DATA_RESIDENCY: 'in', DATA_DIR: 'memory://' }).DATA_RESIDENCY).toBe('in');
  });

  it('refuses a call before anything is sent: a model or embeddings fetch, and a connector’s request', async () => {
    let sent = 0;
    const counting: typeof fetch = async () => {
      sent++;
      return new Response('{}');
    };
    const model = residentFetch(india, 'conversations to the model', counting);
    await expect(
      model('https://api.openai.com/v1/chat/completions', { method: 'POST' }),
    ).rejects.toBeInstanceOf(ResidencyError);
    await model('https://llm.example.in/v1/chat/completions', { method: 'POST' });
    expect(sent).toBe(1);
    const shopify = createVendorClient({
      connector: 'shopify',
      baseUrl: 'https://shop.myshopify.com/',
      limiter: createRateLimiter({ perSecond: 100, burst: 10 }),
      fetch: counting,
      residency: india,
    });
    const failure = await shopify.get('admin/api/2024-10/orders.json').catch((err: Error) => err);
    expect(failure).toBeInstanceOf(ConnectorSetupError);
    expect((failure as Error).message).toMatch(/refuses to send shopify data to shop\.myshopify\.com/);
    expect(sent).toBe(1);
  });
});
