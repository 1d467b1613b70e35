// Shared by the browser tests: build the client when it is missing or older than its sources, start the real
// server on an ephemeral port, launch the system Chromium, and drive the page only through accessible names.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { t, type Language } from '../../shared/i18n/index.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const DIST_INDEX = path.join(ROOT, 'dist/client/index.html');

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const VIEWPORTS = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'laptop', width: 1366, height: 768 },
  { name: 'projector', width: 1920, height: 1080 },
] as const;

function newestMtime(dir: string): number {
  let newest = 0;
  if (!existsSync(dir)) return 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

/** Build dist/client with Vite's JS API if it is missing or older than client/, assets/ or shared/. */
export async function ensureClientBuilt(): Promise<void> {
  const sources = Math.max(newestMtime(path.join(ROOT, 'client')), newestMtime(path.join(ROOT, 'assets')), newestMtime(path.join(ROOT, 'shared')));
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  const { build } = await import('vite');
  await build({ configFile: path.join(ROOT, 'client/vite.config.ts'), logLevel: 'warn' });
}

export interface Running {
  url: string;
  close(): Promise<void>;
}

/** The real server on 127.0.0.1, an ephemeral port, quick bots and quick timers. */
export async function startGameServer(): Promise<Running> {
  const { startServer } = await import('../../server/index.ts');
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    clientDir: path.join(ROOT, 'dist/client'),
    botDelayMs: [80, 160],
    timerScale: 0.3,
    graceMs: 30_000,
    logLevel: 'silent',
    // the embedded store, as npm start keeps its state, in a folder of this run's own
    storeKind: 'file',
    dataDir: mkdtempSync(path.join(tmpdir(), 'handshake-e2e-')),
  });
  return server;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
  });
}

/**
 * What every end-to-end file needs: the client built, a real server on an ephemeral port of 127.0.0.1, and a
 * real Chromium, started before the file's tests and closed after them. Read `server` and `browser` inside tests.
 */
export function useServerAndBrowser(): { readonly server: Running; readonly browser: Browser } {
  const setup = {} as { server: Running; browser: Browser };
  beforeAll(async () => {
    await ensureClientBuilt();
    setup.server = await startGameServer();
    setup.browser = await launchBrowser();
  });
  afterAll(async () => {
    await setup.browser?.close();
    await setup.server?.close();
  });
  return setup;
}

/** Console errors and uncaught exceptions of a page, to assert there are none. */
export function watchErrors(page: Page, into: string[]): void {
  page.on('console', (msg) => {
    if (msg.type() === 'error') into.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => into.push(`pageerror: ${err.message}`));
  page.on('response', (res) => {
    if (res.status() >= 400) into.push(`http ${res.status()}: ${res.url()}`);
  });
}

/** Keep every line the page says in its polite live region (the region itself keeps only the last few). */
export async function recordAnnouncements(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const said: string[] = [];
    (window as unknown as { __said: string[] }).__said = said;
    new MutationObserver((records) => {
      for (const r of records)
        for (const node of r.addedNodes) if (node instanceof HTMLElement && node.parentElement?.id === 'live') said.push(node.textContent ?? '');
    }).observe(document, { childList: true, subtree: true });
  });
}

export async function announcements(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __said?: string[] }).__said ?? []);
}

export async function newPlayer(browser: Browser, errors: string[], locale = 'en-US', viewport: { width: number; height: number } = { width: 1366, height: 768 }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale });
  const page = await context.newPage();
  watchErrors(page, errors);
  return { context, page };
}

/** A screenshot in test-artifacts/; `fullPage` takes the whole scrolling page (a phone's Table below the board). */
export async function shot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.waitForTimeout(250);
  // a whole suite running at once on a small machine has made a screenshot wait for the page over 30 s (the default)
  await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: options.fullPage ?? false, timeout: 90_000 });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Text of the connection status region (both ends' states), read through its accessible name. */
export async function statusText(page: Page, name = 'Connection status'): Promise<string> {
  return (await page.getByRole('region', { name }).textContent()) ?? '';
}

/** Wait until the status region says `end` is in `state` (e.g. 'Server', 'LISTEN'). */
export async function waitForState(page: Page, end: string, state: string, timeout = 15000, name = 'Connection status'): Promise<void> {
  const deadline = Date.now() + timeout;
  // "Client (you): SYN-SENT", "客户端（你）：SYN-SENT": each language's own colon
  const re = new RegExp(`${end}[^:：]*[:：]\\s*${state}\\b`);
  while (Date.now() < deadline) {
    if (re.test(await statusText(page, name))) return;
    await sleep(100);
  }
  throw new Error(`timed out waiting for ${end} to be ${state}; status: ${await statusText(page, name)}`);
}

/** Build a segment through the hand's controls: flags by their toggle buttons, numbers by their labels. */
export async function buildSegment(page: Page, seg: { flags: string[]; seq: number; ack?: number; len?: number }): Promise<void> {
  await page.getByRole('button', { name: 'Clear' }).click();
  for (const flag of seg.flags) await page.getByRole('button', { name: flag, exact: true }).click();
  await page.getByLabel('Sequence number (SEQ)').fill(String(seg.seq));
  if (seg.ack !== undefined) await page.getByLabel('Acknowledgment number (ACK)').fill(String(seg.ack));
  await page.getByLabel('Payload length (bytes)').fill(String(seg.len ?? 0));
}

export async function playSegment(page: Page, lang: Language = 'en'): Promise<void> {
  const play = page.getByRole('button', { name: t(lang, 'hand.play') });
  await play.click();
  await page.waitForFunction(() => !(document.querySelector('[data-role="play"]') as HTMLButtonElement | null)?.disabled);
}

/**
 * One step of a player who follows the hints: ask, then play what a correct TCP would play.
 * Returns 'played', 'idle' (nothing to do now) or 'over' (the Result screen is up).
 */
export async function hintStep(page: Page, lang: Language = 'en'): Promise<'played' | 'idle' | 'over'> {
  if (await isResult(page, lang)) return 'over';
  const ask = page.getByRole('button', { name: t(lang, 'explain.askHint') });
  if (!(await ask.isVisible().catch(() => false))) return (await isResult(page, lang)) ? 'over' : 'idle';
  // a short timeout: the button goes away when the game ends between the check and the click, and Playwright's
  // default (30 s of waiting for it to be actionable) used to stall the whole loop
  if (!(await ask.click({ timeout: 1500 }).then(() => true, () => false))) return (await isResult(page, lang)) ? 'over' : 'idle';
  const would = t(lang, 'explain.hintCard', { card: '' });
  const nothing = t(lang, 'explain.noHint');
  const hint = page.getByText(new RegExp(`${escape(would)}|${escape(nothing)}`));
  // no hint shows when the game ended meanwhile; never fall back on Playwright's 30 s default timeouts here
  // wait for the hint, or for the Result screen when the game ended meanwhile (then no hint comes)
  await page
    .waitForFunction(() => !!document.querySelector('[data-role="hint"]') || document.getElementById('app')?.dataset.screen === 'result', null, { timeout: 5000 })
    .catch(() => undefined);
  if (!(await hint.first().isVisible().catch(() => false))) return (await isResult(page, lang)) ? 'over' : 'idle';
  const text = (await hint.first().textContent({ timeout: 1000 }).catch(() => null)) ?? '';
  if (!text.includes(would)) return 'idle';
  const use = page.getByRole('button', { name: t(lang, 'explain.useHint') });
  if (!(await use.isVisible().catch(() => false))) return 'idle';
  if (!(await use.click({ timeout: 1500 }).then(() => true, () => false))) return 'idle';
  if (text.includes('seq=')) await playSegment(page, lang);
  else await page.waitForTimeout(150);
  return 'played';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The Result screen is up (its rematch button shows only for rooms that can have one: not levels, not class rounds). */
export async function isResult(page: Page, _lang: Language = 'en'): Promise<boolean> {
  return page.evaluate(() => document.getElementById('app')?.dataset.screen === 'result').catch(() => false);
}

/** Play on with hints until the Result screen shows on every page (or time runs out). */
export async function playToEnd(pages: Page[], timeout = 60000, lang: Language = 'en'): Promise<void> {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    let over = 0;
    for (const page of pages) {
      const t0 = Date.now();
      const r = await hintStep(page, lang);
      if (process.env.E2E_DEBUG) console.log('hintStep', pages.indexOf(page), r, Date.now() - t0, 'ms');
      if (r === 'over') over++;
    }
    if (over === pages.length) return;
    await sleep(250);
  }
  const states: string[] = [];
  for (const [i, page] of pages.entries()) {
    await shot(page, `stuck-${i}`).catch(() => undefined);
    states.push(await statusText(page, t(lang, 'board.status')).catch(() => '?'));
  }
  throw new Error(`the game did not reach the Result screen in time: ${states.join(' | ')}`);
}

/** Which of the board's scenes run (the Result's "Mission complete" is drawn by the Result scene). */
export const boardScenes = (page: Page) =>
  page.evaluate(() => {
    const game = (window as unknown as { __handshake: { game?: { scene: { getScenes(active: boolean): { scene: { key: string } }[] } } } }).__handshake.game;
    return game ? game.scene.getScenes(true).map((s) => s.scene.key) : [];
  });

/** The Table of a game that just started (a rematch, the next level): the board shows it alone, the builder is
 * empty, and no verdict, hint or alert of the last game is left. Players only (a spectator has no builder). */
export async function expectCleanTable(page: Page, name: string): Promise<void> {
  await page.waitForFunction(() => document.getElementById('app')!.dataset.screen === 'table');
  await page.waitForTimeout(400);
  expect(await boardScenes(page)).toEqual(['Table']);
  if (!(await page.getByLabel('Sequence number (SEQ)').count())) return shot(page, name);
  const referee = page.getByRole('region', { name: 'Referee' });
  expect(await referee.getByText('Accepted').count()).toBe(0);
  expect(await referee.getByText(/Refused|Your card would be/).count()).toBe(0);
  expect(await page.locator('#alert').textContent()).toBe('');
  expect(await page.getByLabel('Sequence number (SEQ)').inputValue()).toBe('0');
  expect(await page.getByLabel('Acknowledgment number (ACK)').inputValue()).toBe('');
  expect(await page.getByLabel('Payload length (bytes)').inputValue()).toBe('0');
  for (const flag of ['SYN', 'ACK', 'FIN']) expect(await page.getByRole('button', { name: flag, exact: true }).getAttribute('aria-pressed')).toBe('false');
  await shot(page, name);
}

