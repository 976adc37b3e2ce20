import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

// What a process does not use, it does not load: each of these costs tens of MB and start-up time. The
// spreadsheet and calendar readers load with the first statement or calendar read, the chart renderer with
// the first chart, undici with the first call to an owner's address (a calendar feed, a Tally host).
const OPTIONAL = [
  '@whiskeysockets/baileys',
  'grammy',
  '@langchain/openai',
  'openai',
  'redis',
  '@e965/xlsx',
  'ical.js',
  'echarts',
  '@resvg/resvg-js',
  'undici',
];

// Never loaded: the agent loop is ours (src/agent/agent-loop.ts); LangChain's createAgent and its LangGraph
// graph are the chat bench's reference only.
const NEVER = ['langchain', '@langchain/langgraph'];

function packagesLoaded(env: Record<string, string>): Promise<Set<string>> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      new URL('./support/report-packages.mjs', import.meta.url).pathname,
      new URL('./support/start-runtime.ts', import.meta.url).pathname,
    ],
    { env: { PATH: process.env.PATH, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: 'memory://', ...env } },
  );
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => {
      if (code !== 0) return reject(new Error(`the runtime failed (${code}):\n${stderr}`));
      resolve(new Set([...stderr.matchAll(/^package (\S+)$/gm)].map((m) => m[1] as string)));
    });
  });
}

describe('packages a process loads', () => {
  it('loads no channel, model client or Redis it is not configured for', { timeout: 60_000 }, async () => {
    const loaded = await packagesLoaded({});
    expect(loaded.has('express')).toBe(true);
    expect([...OPTIONAL, ...NEVER].filter((p) => loaded.has(p))).toEqual([]);
  });

  it('loads Telegram’s and the model’s when they are configured', { timeout: 60_000 }, async () => {
    const loaded = await packagesLoaded({
      TELEGRAM_BOT_TOKEN: '123456:TEST-token',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    });
    expect(['grammy', '@langchain/openai'].filter((p) => loaded.has(p))).toEqual([
      'grammy',
      '@langchain/openai',
    ]);
    expect(loaded.has('@whiskeysockets/baileys')).toBe(false);
    expect(NEVER.filter((p) => loaded.has(p))).toEqual([]);
  });
});
