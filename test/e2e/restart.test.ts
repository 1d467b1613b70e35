// The server dies under a player in the middle of a game (SIGKILL) and is started again: the page says the
// connection is lost and counts down to its next try, then comes back to the same board by itself — no
// click — and the game plays on. A spectator in Chinese on a phone sees the same, in Chinese.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../shared/i18n/index.ts';
import { freePort, startServerProcess, type ServerProcess } from '../server/serverProcess.ts';
import { buildSegment, ensureClientBuilt, hintStep, launchBrowser, newPlayer, playSegment, ROOT, shot, statusText, waitForState } from './helpers.ts';

let browser: Browser;
let server: ServerProcess | null = null;
const dataDir = mkdtempSync(path.join(tmpdir(), 'handshake-e2e-restart-'));
const env = { CLIENT_DIR: path.join(ROOT, 'dist/client'), BOT_DELAY_MIN_MS: '80', BOT_DELAY_MAX_MS: '160', TIMER_SCALE: '0.3', LOG_LEVEL: 'warn' };

beforeAll(async () => {
  await ensureClientBuilt();
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await server?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

describe('a server restarted under a game', () => {
  it('brings the page back to the same board without a click, saying meanwhile that it reconnects', async () => {
    const port = await freePort();
    server = await startServerProcess({ port, dataDir, env });
    const errors: string[] = [];
    const { page } = await newPlayer(browser, errors, 'en-US', { width: 1920, height: 1080 });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Play against the bot' }).click();
    await waitForState(page, 'Server', 'LISTEN');
    await page.getByRole('button', { name: 'Connect' }).click();
    await waitForState(page, 'Client', 'SYN-SENT');
    await buildSegment(page, { flags: ['SYN'], seq: 100 });
    await playSegment(page);
    await waitForState(page, 'Client', 'ESTABLISHED');
    await buildSegment(page, { flags: ['ACK'], seq: 101, ack: 301 });
    await playSegment(page);
    await waitForState(page, 'Server', 'ESTABLISHED');
    const code = new URL(page.url()).pathname.split('/').pop()!;
    expect(code).toMatch(/^[A-Z0-9]{6}$/);

    // a spectator on a phone, in Chinese
    const watcher = await newPlayer(browser, errors, 'zh-CN', { width: 390, height: 844 });
    await watcher.page.goto(`${server.url}/r/${code}?spectate=1`);
    await waitForState(watcher.page, '服务器', 'ESTABLISHED', 15000, '连接状态');
    const before = await statusText(page);

    await server.kill('SIGKILL');
    const banner = page.locator('.reconnect-banner');
    await expect.poll(() => banner.textContent(), { timeout: 5000 }).toMatch(/Connection lost\. Reconnecting( in \d s)?…/);
    const watcherBanner = watcher.page.locator('.reconnect-banner');
    await expect.poll(() => watcherBanner.textContent(), { timeout: 5000 }).toMatch(/连接已断开。/);
    // at the bottom, on one line, even on a phone: the seats' names at the top stay in view
    for (const [p, height] of [[page, 1080], [watcher.page, 844]] as const) {
      const box = (await p.locator('.reconnect-banner').boundingBox())!;
      expect(box.y).toBeGreaterThan(height / 2);
      expect(box.y + box.height).toBeLessThanOrEqual(height);
      expect(box.height).toBeLessThan(64); // one line (two are 75 px or more)
    }
    await shot(page, 'restart-reconnecting-en-1920');
    await shot(watcher.page, 'restart-reconnecting-zh-390');

    server = await startServerProcess({ port, dataDir, env });
    // back by itself: the banner goes, the same board is there (the same states and numbers at both ends)
    await banner.waitFor({ state: 'hidden', timeout: 15000 });
    await watcherBanner.waitFor({ state: 'hidden', timeout: 15000 });
    await expect.poll(() => statusText(page), { timeout: 10000 }).toBe(before);
    await waitForState(watcher.page, '服务器', 'ESTABLISHED', 15000, '连接状态');
    expect(await banner.isHidden()).toBe(true);
    await shot(page, 'restart-back-en-1920');

    // and the game plays on from there: the next right card is taken
    let step: Awaited<ReturnType<typeof hintStep>> = 'idle';
    for (let i = 0; i < 20 && step !== 'played'; i += 1) step = await hintStep(page, 'en');
    expect(step).toBe('played');
    expect(t('zh-CN', 'net.lost.trying')).not.toBe(t('en', 'net.lost.trying'));
    expect(errors.filter((e) => !/WebSocket|ERR_CONNECTION_REFUSED|net::/.test(e))).toEqual([]);
  });
});
