// The HTTP side: security headers, /healthz, the built client and its routes.
import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { testServer } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'handshake-client-'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Handshake</title><div id="app"></div>');
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'assets', 'main.js'), 'console.log(1)');
  server = await testServer({ clientDir: dir });
});
afterAll(async () => {
  await server.close();
});

describe('http', () => {
  it('serves the client with helmet headers and a CSP fit for the Vite bundle and the socket', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Handshake');
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/img-src 'self' data: blob:/);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port} wss://127.0.0.1:${server.port}`);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).not.toContain('unsafe-eval');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-powered-by')).toBeNull();
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });

  it('serves assets, and index.html for client routes such as /r/CODE', async () => {
    const asset = await fetch(`${server.url}/assets/main.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    for (const route of ['/r/ABCDEF', '/watch/ABCDEF', '/some/deep/route']) {
      const page = await fetch(`${server.url}${route}`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="app">');
    }
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404);
  });

  it('answers /healthz with JSON', async () => {
    const response = await fetch(`${server.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ok: true, rooms: 0 });
  });
});
