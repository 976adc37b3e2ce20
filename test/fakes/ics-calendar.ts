import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server publishing an iCalendar feed as Google Calendar's secret address does: `GET
 * /calendar/ical/<id>/private-<secret>/basic.ics` answers `text/calendar` with an ETag and Last-Modified,
 * 304 to a matching If-None-Match, and 404 once the secret address was reset.
 */

export interface FakeIcsCalendar {
  /** The feed's secret address. */
  url: string;
  /** The feed's text; change it to publish a new version. */
  ics: string;
  /** Answers 404, as after "Reset" of the secret address. */
  reset: boolean;
  requests: { ifNoneMatch: string | undefined; status: number }[];
  close(): Promise<void>;
}

export async function startFakeIcsCalendar(): Promise<FakeIcsCalendar> {
  const path = '/calendar/ical/owner%40example.in/private-5f1c2d3e4b5a69788796a5b4c3d2e1f0/basic.ics';
  const fake = { ics: '', reset: false, requests: [] as FakeIcsCalendar['requests'] };
  const server = createServer((req, res) => {
    const etag = `"${createHash('sha1').update(fake.ics).digest('hex').slice(0, 16)}"`;
    const ifNoneMatch = req.headers['if-none-match'];
    let status = 200;
    if (req.url !== path || fake.reset) status = 404;
    else if (ifNoneMatch === etag) status = 304;
    fake.requests.push({ ifNoneMatch, status });
    if (status === 404) {
      res.writeHead(404, { 'content-type': 'text/html; charset=UTF-8' });
      return res.end('<html><body>Not Found</body></html>');
    }
    res.writeHead(status, {
      etag,
      'last-modified': 'Tue, 24 Mar 2026 10:00:00 GMT',
      ...(status === 200 && { 'content-type': 'text/calendar; charset=UTF-8' }),
    });
    res.end(status === 200 ? fake.ics : undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}${path}`;
  return Object.assign(fake, {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
