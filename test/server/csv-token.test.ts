// The results CSV by a one-time download token asked for over the socket (the host key stays out of URLs).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../../server/index.ts';
import { member } from './class-helpers.ts';
import { call, closeAll, testServer } from './helpers.ts';

let server: RunningServer;
beforeAll(async () => {
  server = await testServer();
});
afterAll(async () => {
  await server.close();
});

describe('results download token', () => {
  it('gives the host a short-lived token that downloads the CSV once; nobody else gets one', async () => {
    const host = await member(server.url);
    const created = await call(host, 'class:create', {});
    const code: string = created.code;
    const player = await member(server.url);
    expect((await call(player, 'class:join', { code, nickname: 'Ada' })).ok).toBe(true);

    expect(await call(player, 'class:csvToken', { code })).toMatchObject({ ok: false, error: { code: 'NOT_HOST' } });
    const granted = await call(host, 'class:csvToken', { code });
    expect(granted.ok).toBe(true);
    expect(typeof granted.token).toBe('string');
    expect(granted.token).not.toBe(created.hostKey);
    expect(granted.expiresAt).toBeGreaterThan(Date.now());
    expect(granted.expiresAt).toBeLessThanOrEqual(Date.now() + 5 * 60_000);

    const url = `${server.url}/c/${code}/results.csv?token=${encodeURIComponent(granted.token)}`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toContain('text/csv');
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect((await first.text()).replace(/^\uFEFF/, '')).toMatch(/^round,nickname/);
    // one time only
    expect((await fetch(url)).status).toBe(403);
    // a token is good for its own session only, and a made-up one for none
    expect((await fetch(`${server.url}/c/${code}/results.csv?token=${'x'.repeat(43)}`)).status).toBe(403);
    // the header path still works
    expect((await fetch(`${server.url}/c/${code}/results.csv`, { headers: { 'X-Host-Key': created.hostKey } })).status).toBe(200);
    closeAll(host, player);
  });
});
