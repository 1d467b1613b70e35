// npm run bench:client — the client's weight and how fast the Menu and then the board become usable.
// Builds the client with Vite, prints every shipped file raw and gzipped, the first load (index.html and what it
// loads or preloads; the board's Phaser, Learn mode, the class screens, the level data and the QR code come
// later, on demand or in the background), then opens the page in headless Chromium on localhost, cold each
// time, and records in the page (performance.now(), whose zero is the navigation start) when the Menu's
// "Play against the bot" button is there and enabled, then clicks it at once and records when the Table's board
// (its canvas) is up. Targets: first load under 150 kB gzip, the Menu under 1.5 s.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { build } from 'vite';
import { startServer } from '../server/index.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const DIST = path.join(ROOT, 'dist/client');
const RUNS = Number(process.env.RUNS ?? 7);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? files(full) : [full];
  });
}

const kB = (n: number) => `${(n / 1024).toFixed(1)} kB`;

await build({ configFile: path.join(ROOT, 'client/vite.config.ts'), logLevel: 'warn' });
let raw = 0;
let gz = 0;
let codeRaw = 0;
let codeGz = 0;
console.log('file                                           raw        gzip');
for (const file of files(DIST).sort()) {
  const body = readFileSync(file);
  const g = gzipSync(body, { level: 9 }).length;
  raw += body.length;
  gz += g;
  if (/\.(js|css|html)$/.test(file)) {
    codeRaw += body.length;
    codeGz += g;
  }
  console.log(`${path.relative(DIST, file).padEnd(44)} ${kB(body.length).padStart(10)} ${kB(g).padStart(10)}`);
}
// the first load: index.html and the scripts, preloads and stylesheets it names
const html = readFileSync(path.join(DIST, 'index.html'), 'utf8');
const firstFiles = ['index.html', ...[...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]!)];
let firstRaw = 0;
let firstGz = 0;
for (const rel of firstFiles) {
  const body = readFileSync(path.join(DIST, rel));
  firstRaw += body.length;
  firstGz += gzipSync(body, { level: 9 }).length;
}
console.log(`total (all files)                            ${kB(raw).padStart(10)} ${kB(gz).padStart(10)}`);
console.log(`total JS+CSS+HTML                            ${kB(codeRaw).padStart(10)} ${kB(codeGz).padStart(10)}`);
console.log(`first load (${firstFiles.length} files: ${firstFiles.map((f) => path.basename(f)).join(', ')})`);
console.log(`                                             ${kB(firstRaw).padStart(10)} ${kB(firstGz).padStart(10)}   target < 150 kB gzip: ${firstGz < 150 * 1024 ? 'met' : 'MISSED'}`);

const server = await startServer({ port: 0, host: '127.0.0.1', clientDir: DIST, logLevel: 'silent' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const menuTimes: number[] = [];
const boardTimes: number[] = [];
const warmBoardTimes: number[] = [];
try {
  // one browser context per run: a cold cache every time
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    // watch the page from its first moment, without any help from the game's code: when the Menu's first button
    // is there and enabled, and when the Table's board canvas is
    await context.addInitScript(() => {
      const w = window as unknown as { __menuAt?: number; __boardAt?: number };
      new MutationObserver(() => {
        if (w.__menuAt === undefined) {
          const b = [...document.querySelectorAll('button')].find((el) => el.textContent === 'Play against the bot');
          if (b && !(b as HTMLButtonElement).disabled) w.__menuAt = performance.now();
        }
        if (w.__boardAt === undefined && document.getElementById('app')?.dataset.screen === 'table' && document.querySelector('#stage canvas')) {
          w.__boardAt = performance.now();
        }
      }).observe(document, { childList: true, subtree: true, attributes: true });
    });
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (req) => {
      const m = /\/assets\/[^?]+\.(?:js|css)$/.exec(req.url());
      if (m) fetched.push(path.basename(m[0]));
    });
    await page.goto(server.url, { waitUntil: 'commit' });
    await page.waitForFunction(() => (window as unknown as { __menuAt?: number }).__menuAt !== undefined, null, { timeout: 20000, polling: 20 });
    const menuAt = await page.evaluate(() => (window as unknown as { __menuAt: number }).__menuAt);
    menuTimes.push(menuAt);
    if (i === 0) console.log(`scripts and styles requested by the time the Menu was measured (game- and phaser- are the board, loading in the background): ${fetched.join(', ')}`);
    // the board: click at once (Phaser not loaded yet: the worst case) — or, every other run, once the board has
    // loaded in the background as it does while a player reads the Menu — and wait for the Table's canvas
    const warm = i % 2 === 1;
    if (warm) await page.waitForFunction(() => !!(window as unknown as { __handshake?: { game?: unknown } }).__handshake?.game, null, { timeout: 20000 });
    if (warm) await page.waitForTimeout(300);
    const clickAt = await page.evaluate(() => {
      const b = [...document.querySelectorAll('button')].find((el) => el.textContent === 'Play against the bot') as HTMLButtonElement;
      b.click();
      return performance.now();
    });
    await page.waitForFunction(() => (window as unknown as { __boardAt?: number }).__boardAt !== undefined, null, { timeout: 20000, polling: 20 });
    const boardAt = await page.evaluate(() => (window as unknown as { __boardAt: number }).__boardAt);
    (warm ? warmBoardTimes : boardTimes).push(boardAt - clickAt);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const worst = (xs: number[]) => Math.max(...xs);
console.log(`navigation → interactive Menu (${RUNS} cold runs): ${menuTimes.map((t) => t.toFixed(0)).join(', ')} ms`);
console.log(`  median ${median(menuTimes).toFixed(0)} ms, worst ${worst(menuTimes).toFixed(0)} ms   target < 1500 ms: ${median(menuTimes) < 1500 ? 'met' : 'MISSED'}`);
for (const [what, xs] of [['at once (Phaser still to load)', boardTimes], ['after the background load', warmBoardTimes]] as const) {
  if (!xs.length) continue;
  console.log(`click "Play against the bot" ${what} → the Table's board drawn: ${xs.map((t) => t.toFixed(0)).join(', ')} ms`);
  console.log(`  median ${median(xs).toFixed(0)} ms, worst ${worst(xs).toFixed(0)} ms`);
}
