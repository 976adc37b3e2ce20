import { existsSync } from 'node:fs';
import { type Browser, type BrowserContext, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_ASSETS, DOCS_CSP } from '../../src/api/docs-page.ts';
import { startTestApi, type TestApi, testPhone } from '../support/api.ts';
import { createTestDb, type TestDb } from '../support/db.ts';

// The API reference at /docs: Swagger UI from the package's own files, opened in headless Chromium
// against the real app. Every operation of the served document is on the page, nothing is fetched from
// anywhere but this server, and a call can be tried from the page with an API key given under Authorize.

const CHROMIUM = '/usr/bin/chromium';
const HAS_BROWSER = existsSync(CHROMIUM);
const REQUIRE_BROWSER = process.env.REQUIRE_BROWSER === '1';
/** DOCS_SCREENSHOT=/tmp/docs.png: where to save what the page looks like, to look at it. */
const SCREENSHOT = process.env.DOCS_SCREENSHOT;
const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

if (!HAS_BROWSER && !REQUIRE_BROWSER) {
  console.warn(
    `docs-page: ${CHROMIUM} is missing, so the browser checks of /docs are skipped ` +
      '(apt-get install chromium; REQUIRE_BROWSER=1 makes this a failure).',
  );
}

let testDb: TestDb;
let api: TestApi;
beforeAll(async () => {
  testDb = await createTestDb('pglite');
  api = await startTestApi(testDb.db);
});
afterAll(async () => {
  await api?.close();
  await testDb?.close();
});

describe('/docs over HTTP', () => {
  it('serves the page with a strict CSP, its own init script, and the package files cached long', async () => {
    const page = await fetch(`${api.url}/docs`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(DOCS_CSP);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const html = await page.text();
    expect(html).toContain('<title>AxonBOS API</title>');
    expect(html).not.toMatch(/<script>|<style|\sstyle=|https?:\/\//);

    const init = await fetch(`${api.url}/docs/init.js`);
    expect(init.headers.get('content-type')).toMatch(/^text\/javascript/);
    const script = await init.text();
    expect(script).toContain('"url":"/api/v1/openapi.json"');
    expect(script).toContain('"validatorUrl":null');
    expect(script).toContain('"persistAuthorization":false');

    for (const [file, type] of [
      ['swagger-ui-bundle.js', /javascript/],
      ['swagger-ui.css', /^text\/css/],
      ['favicon-32x32.png', /^image\/png/],
    ] as const) {
      expect(html).toContain(`${DOCS_ASSETS}/${file}`);
      const res = await fetch(`${api.url}${DOCS_ASSETS}/${file}`);
      expect(res.status, file).toBe(200);
      expect(res.headers.get('content-type'), file).toMatch(type);
      expect(res.headers.get('cache-control'), file).toBe('public, max-age=31536000, immutable');
      expect(res.headers.get('x-content-type-options'), file).toBe('nosniff');
      await res.arrayBuffer();
    }
    // Only the files the page uses: not the rest of the package, nor a way out of its folder.
    for (const path of ['index.html', 'swagger-initializer.js', 'package.json', '..%2Fpackage.json']) {
      const res = await fetch(`${api.url}${DOCS_ASSETS}/${path}`);
      expect(res.status, path).toBe(404);
      await res.arrayBuffer();
    }
  });
});

describe.skipIf(!HAS_BROWSER && !REQUIRE_BROWSER)('/docs in headless Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  beforeAll(async () => {
    if (!HAS_BROWSER)
      throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} is missing: apt-get install chromium`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('renders every operation, offline, and tries GET /tasks with an API key from Authorize', async () => {
    const doc = (await api.request('GET', '/api/v1/openapi.json')).body as {
      paths: Record<string, Record<string, unknown>>;
      webhooks?: Record<string, Record<string, unknown>>;
    };
    // The paths' operations, and the webhooks' (the events sent to subscribers), by method and name.
    const operations = [...Object.entries(doc.paths), ...Object.entries(doc.webhooks ?? {})].flatMap(
      ([path, item]) =>
        Object.keys(item)
          .filter((m) => METHODS.includes(m))
          .map((m) => `${m.toUpperCase()} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(20);
    expect(operations).toContain('GET /api/v1/tasks');

    const owner = await api.signIn(testPhone(31));
    const made = await api.request('POST', '/api/v1/api-keys', {
      token: owner,
      body: { name: 'Docs page', scopes: ['tasks:read'] },
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const key: string = made.body.data.key;

    const page = await context.newPage();
    const requested: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requested.push(r.url()));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));
    // Whatever the page's CSP refuses counts as an error too, whether or not the browser logs it.
    await page.addInitScript(() =>
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(`CSP refused ${e.blockedURI || 'inline'} (${e.effectiveDirective})`),
      ),
    );
    // Anything bound elsewhere is recorded above and refused here, so the test never waits on the network.
    await page.route(
      (url) => url.origin !== api.url,
      (route) => route.abort(),
    );

    await page.goto(`${api.url}/docs`);
    await expect(page.title()).resolves.toBe('AxonBOS API');
    await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, operations.length, {
      timeout: 60_000,
    });
    const rendered = await page.$$eval('.opblock', (blocks) =>
      blocks.map(
        (b) =>
          `${b.querySelector('.opblock-summary-method')?.textContent?.trim()} ${b
            .querySelector('.opblock-summary-path')
            ?.getAttribute('data-path')}`,
      ),
    );
    expect(new Set(rendered)).toEqual(new Set(operations));
    if (SCREENSHOT) await page.screenshot({ path: SCREENSHOT });

    // Authorize offers both schemes; the key goes in the API-key one (X-API-Key, in a header).
    await page.locator('.auth-wrapper button.authorize').click();
    const modal = page.locator('.modal-ux');
    const schemes = modal.locator('.auth-container h4');
    await schemes.first().waitFor();
    expect(await schemes.allTextContents()).toEqual([
      'bearerAuth\u00a0 (http, Bearer)',
      'apiKey\u00a0(apiKey)',
    ]);
    const keyScheme = modal.locator('.auth-container').filter({ hasText: 'X-API-Key' });
    await keyScheme.locator('input').fill(key);
    await keyScheme.locator('button.authorize').click();
    await keyScheme.locator('button', { hasText: 'Logout' }).waitFor();
    await keyScheme.locator('button.btn-done').click();
    await modal.waitFor({ state: 'detached' });

    // GET /api/v1/tasks: Try it out, Execute, and the answer is a 200 for the key's business.
    const listTasks = page
      .locator('.opblock-get')
      .filter({ has: page.locator('.opblock-summary-path[data-path="/api/v1/tasks"]') });
    await listTasks.locator('.opblock-summary-control').click();
    await listTasks.locator('button.try-out__btn').click();
    const sent = page.waitForRequest(
      (r) => r.method() === 'GET' && new URL(r.url()).pathname === '/api/v1/tasks',
    );
    await listTasks.locator('button.execute').click();
    const request = await sent;
    expect(await request.headerValue('x-api-key')).toBe(key);
    const status = listTasks.locator('.live-responses-table .response .response-col_status');
    await status.waitFor();
    expect((await status.textContent())?.trim()).toBe('200');
    await expect(
      listTasks.locator('.live-responses-table .microlight').first().textContent(),
    ).resolves.toContain('"success": true');
    if (SCREENSHOT) await listTasks.screenshot({ path: SCREENSHOT.replace(/\.png$/, '-try.png') });

    expect(errors).toEqual([]);
    const elsewhere = requested.filter((u) => new URL(u).origin !== api.url);
    expect(elsewhere).toEqual([]);
    expect(requested).toContain(`${api.url}/api/v1/openapi.json`);
    await page.close();
  }, 180_000);
});
