import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local server speaking Open-Meteo's two APIs on one address: the geocoding search (`GET /v1/search?name=…
 * &count=1` → `{results: [{name, latitude, longitude, country_code, timezone}]}`, or no `results` for an
 * unknown place) and the forecast (`GET /v1/forecast?latitude&longitude&daily=…&forecast_days` → `daily` as
 * columns: `{time: [...], weather_code: [...], …}`); errors as `{"error": true, "reason": "…"}` with 400.
 */

export interface FakeOpenMeteo {
  url: string;
  places: Record<string, { latitude: number; longitude: number }>;
  /** Each day's forecast from today (the first `time`). */
  days: { time: string; weather_code: number; max: number; min: number; rain: number }[];
  requests: { path: string; query: URLSearchParams }[];
  close(): Promise<void>;
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

export async function startFakeOpenMeteo(): Promise<FakeOpenMeteo> {
  const fake: Omit<FakeOpenMeteo, 'url' | 'close'> = {
    places: { Indore: { latitude: 22.71792, longitude: 75.8333 } },
    days: [],
    requests: [],
  };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const q = url.searchParams;
    fake.requests.push({ path: url.pathname, query: q });
    if (url.pathname === '/v1/search') {
      const name = q.get('name') ?? '';
      if (name.length < 2)
        return send(res, 400, { error: true, reason: 'Parameter name must be at least 2 characters' });
      const hit = Object.entries(fake.places).find(([p]) => p.toLowerCase() === name.toLowerCase());
      return send(
        res,
        200,
        hit
          ? {
              results: [{ id: 1, name: hit[0], ...hit[1], country_code: 'IN', timezone: 'Asia/Kolkata' }],
              generationtime_ms: 0.5,
            }
          : { generationtime_ms: 0.5 },
      );
    }
    if (url.pathname === '/v1/forecast') {
      const lat = Number(q.get('latitude'));
      const lon = Number(q.get('longitude'));
      if (!q.has('latitude') || !Number.isFinite(lat) || Math.abs(lat) > 90 || !Number.isFinite(lon)) {
        return send(res, 400, {
          error: true,
          reason: 'Latitude must be in range of -90 to 90°. Given: NaN.',
        });
      }
      const n = Math.min(fake.days.length, Number(q.get('forecast_days') ?? 7));
      const days = fake.days.slice(0, n);
      return send(res, 200, {
        latitude: lat,
        longitude: lon,
        timezone: 'Asia/Kolkata',
        daily_units: { time: 'iso8601', weather_code: 'wmo code', temperature_2m_max: '°C' },
        daily: {
          time: days.map((d) => d.time),
          weather_code: days.map((d) => d.weather_code),
          temperature_2m_max: days.map((d) => d.max),
          temperature_2m_min: days.map((d) => d.min),
          precipitation_probability_max: days.map((d) => d.rain),
        },
      });
    }
    send(res, 404, { error: true, reason: 'Not Found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}
