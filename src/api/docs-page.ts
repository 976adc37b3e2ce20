import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import express, { type Response, type Router } from 'express';

/**
 * The API reference at /docs: Swagger UI from the swagger-ui-dist package's own bundle, served by this
 * app (no CDN, so it works offline and where only Indian endpoints are reachable), reading the served
 * OpenAPI document. The page has no inline script or style, so its CSP allows scripts and styles from
 * this origin only; the same paths work from dist/ because the package is resolved from node_modules.
 */

const require = createRequire(import.meta.url);
/** The package's folder: what its own `getAbsoluteFSPath()` answers. */
const DIST = dirname(require.resolve('swagger-ui-dist/package.json'));
const VERSION = (JSON.parse(readFileSync(`${DIST}/package.json`, 'utf8')) as { version: string }).version;

/** The only files of the package the page uses. */
const ASSET_FILES = new Set([
  'swagger-ui-bundle.js',
  'swagger-ui.css',
  'favicon-32x32.png',
  'favicon-16x16.png',
]);

export const DOCS_PATH = '/docs';
/** Versioned, so a new package version is a new URL and the files can be cached as immutable. */
export const DOCS_ASSETS = `${DOCS_PATH}/assets/swagger-ui-${VERSION}`;

/**
 * Swagger UI needs nothing else: its inline SVG icons come from data: URLs in its CSS, and it sets
 * styles through the DOM (not style attributes in markup), which `style-src 'self'` allows.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Swagger UI's settings, in a file rather than inline so the CSP needs no 'unsafe-inline'. */
function initScript(specUrl: string): string {
  const config = {
    url: specUrl,
    dom_id: '#swagger-ui',
    layout: 'BaseLayout',
    deepLinking: true,
    filter: true,
    displayRequestDuration: true,
    // Every method can be tried from the page, with a key or token given under Authorize.
    supportedSubmitMethods: ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'],
    // A key typed in is forgotten with the tab, never written to localStorage.
    persistAuthorization: false,
    // No call to validator.swagger.io, and no ?url= / ?configUrl= taking the page elsewhere.
    validatorUrl: null,
    queryConfigEnabled: false,
    withCredentials: false,
  };
  return `'use strict';
window.ui = SwaggerUIBundle(Object.assign(${JSON.stringify(config)}, {
  presets: [SwaggerUIBundle.presets.apis],
}));
`;
}

const STYLE = `body{margin:0;background:#fafafa}
.swagger-ui .information-container{padding-top:8px}
`;

function page(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>AxonBOS API</title>
<link rel="stylesheet" href="${DOCS_ASSETS}/swagger-ui.css">
<link rel="stylesheet" href="${DOCS_PATH}/page.css">
<link rel="icon" type="image/png" href="${DOCS_ASSETS}/favicon-32x32.png" sizes="32x32">
<link rel="icon" type="image/png" href="${DOCS_ASSETS}/favicon-16x16.png" sizes="16x16">
</head>
<body>
<noscript><p>This reference needs JavaScript. The OpenAPI document itself is at
<a href="/api/v1/openapi.json">/api/v1/openapi.json</a>.</p></noscript>
<div id="swagger-ui"></div>
<script src="${DOCS_ASSETS}/swagger-ui-bundle.js"></script>
<script src="${DOCS_PATH}/init.js"></script>
</body>
</html>
`;
}

/** GET /docs, its init script and style, and the few package files they load. */
export function docsRoutes(specUrl: string): Router {
  const router = express.Router();
  const html = page();
  const init = initScript(specUrl);
  // Small and tied to this build: revalidated (by ETag) rather than cached blind.
  const send = (res: Response, type: string, body: string) => {
    res.set('Cache-Control', 'no-cache').type(type).send(body);
  };
  router.get(DOCS_PATH, (_req, res) => {
    res.set('Content-Security-Policy', DOCS_CSP).set('Referrer-Policy', 'no-referrer');
    send(res, 'html', html);
  });
  router.get(`${DOCS_PATH}/init.js`, (_req, res) => send(res, 'text/javascript', init));
  router.get(`${DOCS_PATH}/page.css`, (_req, res) => send(res, 'text/css', STYLE));
  router.get(`${DOCS_ASSETS}/:file`, (req, res, next) => {
    const file = req.params.file;
    if (!ASSET_FILES.has(file)) return next();
    res.sendFile(file, { root: DIST, maxAge: '365d', immutable: true }, (err) => {
      if (err) next(err);
    });
  });
  return router;
}
