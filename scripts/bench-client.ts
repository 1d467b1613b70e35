// npm run bench:client — the client's weight and how fast the Menu becomes usable.
// Builds the client with Vite, prints every shipped file raw and gzipped, the first load (index.html and what it
// loads or preloads; Learn mode, the class screens, the level data and the QR code come later, on demand), then opens the page in headless
// Chromium on localhost and times navigation → the Menu's first button being enabled (performance.now() in
// the page, whose zero is the navigation start). Targets: under 450 kB gzip, under 1.5 s.
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
console.log(`                                             ${kB(firstRaw).padStart(10)} ${kB(firstGz).padStart(10)}   target < 450 kB gzip: ${firstGz < 450 * 1024 ? 'met' : 'MISSED'}`);

const server = await startServer({ port: 0, host: '127.0.0.1', clientDir: DIST, logLevel: 'silent' });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  headless: true,
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const times: number[] = [];
try {
  // one browser context per run: a cold cache every time
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'en-US' });
    const page = await context.newPage();
    const fetched: string[] = [];
    page.on('request', (req) => {
      const m = /\/assets\/[^?]+\.(?:js|css)$/.exec(req.url());
      if (m) fetched.push(path.basename(m[0]));
    });
    await page.goto(server.url, { waitUntil: 'commit' });
    const button = page.getByRole('button', { name: 'Play against the bot' });
    await button.waitFor({ state: 'visible', timeout: 20000 });
    const ms = await page.evaluate(async () => {
      const b = [...document.querySelectorAll('button')].find((el) => el.textContent === 'Play against the bot') as HTMLButtonElement;
      while (b.disabled) await new Promise((r) => setTimeout(r, 10));
      return performance.now();
    });
    times.push(ms);
    if (i === 0) console.log(`scripts and styles the page fetched until the Menu was interactive: ${fetched.join(', ')}`);
    await context.close();
  }
} finally {
  await browser.close();
  await server.close();
}
const sorted = [...times].sort((a, b) => a - b);
const median = sorted[Math.floor(sorted.length / 2)]!;
console.log(`navigation → interactive Menu (${RUNS} cold runs): ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
console.log(`median ${median.toFixed(0)} ms, worst ${sorted[sorted.length - 1]!.toFixed(0)} ms   target < 1500 ms: ${median < 1500 ? 'met' : 'MISSED'}`);
