// Wireshark in and out, in the real Chromium: "Replay a capture" reads a real Linux capture in the browser (the
// judge runs in a Worker), lists its connection and replays it segment by segment with the verdicts; bad input
// gets its message in both languages; and the Table's "Save capture (.pcapng)" downloads the round as pcapng.
import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/file.ts';
import { decodeTcp } from '../../shared/capture/frames.ts';
import { ARTIFACTS, newPlayer, playToEnd, ROOT, shot, useServerAndBrowser, waitForState } from './helpers.ts';

const setup = useServerAndBrowser();
const ABORT = path.join(ROOT, 'test/captures/abort.pcap');

describe('Replay a capture', () => {
  it('reads a Linux capture in the browser, uploads nothing, and steps through its verdicts', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    const posted: string[] = [];
    page.on('request', (request) => {
      if (request.method() !== 'GET') posted.push(`${request.method()} ${request.url()}`);
    });
    try {
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: 'Replay a capture' }).click();
      await page.getByRole('heading', { name: 'Replay a capture' }).waitFor();
      await page.getByLabel('Capture file', { exact: true }).setInputFiles(ABORT);
      await page.locator('[data-role="replay-status"]', { hasText: 'abort.pcap: 6 packets, 1 TCP connections.' }).waitFor();
      const connection = page.getByRole('button', { name: /127\.0\.0\.1:\d+ → 127\.0\.0\.1:47007, 6 segments/ });
      expect(await connection.getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByText('5 expected · 1 allowed · 0 wrong').isVisible()).toBe(true);

      // step: the SYN, relative numbers as Wireshark shows them, its options, the verdict
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      const card = page.locator('[data-role="replay-segment"]');
      expect(await card.getAttribute('data-verdict')).toBe('expected');
      expect(await card.textContent()).toContain('SYN seq=0 len=0');
      expect(await card.textContent()).toMatch(/MSS 65495, SACK permitted, window scale \d+, TS \d+\/0/);
      expect(await card.textContent()).toContain('the application at A (client) called connect');
      // absolute numbers on request
      await page.getByLabel('Relative sequence numbers (as Wireshark shows them)').uncheck();
      expect(await card.textContent()).toMatch(/SYN seq=\d{4,} len=0/);
      await page.getByLabel('Relative sequence numbers (as Wireshark shows them)').check();

      // to the end: the RST with ACK is Linux's choice, allowed under the RFC profile
      for (let i = 0; i < 5; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
      expect(await page.getByText('Segment 6 of 6').isVisible()).toBe(true);
      expect(await card.getAttribute('data-verdict')).toBe('allowed');
      expect(await card.textContent()).toContain('What Linux does');
      expect(await card.textContent()).toContain('After it: A CLOSED · B CLOSED');
      await shot(page, 'replay-abort-rfc', { fullPage: true });
      await page.getByRole('button', { name: 'Back one step' }).click();
      expect(await page.getByText('Segment 5 of 6').isVisible()).toBe(true);

      // judged again with the Linux profile: now every segment is expected
      await page.getByLabel('Judge by').selectOption('linux');
      await page.getByText('6 expected · 0 allowed · 0 wrong').waitFor();

      // play at 4×: it runs to the end by itself
      await page.getByLabel('Speed').selectOption('4');
      await page.getByRole('button', { name: 'Play' }).click();
      await page.getByText('Segment 6 of 6').waitFor({ timeout: 10_000 });
      expect(await card.getAttribute('data-verdict')).toBe('expected');
      const ladder = page.locator('canvas[aria-label="The timeline so far"]');
      expect(await ladder.count()).toBe(1);
      await ladder.scrollIntoViewIfNeeded();
      await ladder.screenshot({ path: path.join(ARTIFACTS, 'replay-ladder.png') });

      // no serious or critical accessibility problem on the replay screen (axe-core)
      const axe = await new AxeBuilder({ page }).analyze();
      const serious = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(serious).toEqual([]);

      // nothing but the page's own files was fetched: the capture never left the browser
      expect(posted).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a file that is not a capture gets a clear message, in English and in Chinese', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    try {
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: 'Replay a capture' }).click();
      await page.getByLabel('Capture file', { exact: true }).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a capture at all\n') });
      const alert = page.locator('[data-role="error"]');
      await page.waitForFunction(() => !(document.querySelector('[data-role="error"]') as HTMLElement).hidden);
      expect(await alert.textContent()).toContain('This is not a capture file');
      await page.getByRole('button', { name: '中文' }).click();
      await page.getByRole('heading', { name: '回放抓包文件' }).waitFor();
      await page.getByLabel('抓包文件', { exact: true }).setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('still not a capture\n') });
      await page.waitForFunction(() => (document.querySelector('[data-role="error"]') as HTMLElement).textContent!.includes('不是抓包文件'));
      await shot(page, 'replay-not-a-capture-zh');
      await page.getByRole('button', { name: '返回菜单' }).click();
      await page.getByRole('button', { name: '回放抓包文件' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});

describe('Save capture (.pcapng)', () => {
  it('downloads the round from the Table as a pcapng file with its segments and comments', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    try {
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: 'Play against the bot' }).click();
      await waitForState(page, 'Server', 'LISTEN');
      await page.getByRole('button', { name: 'Connect' }).click();
      await waitForState(page, 'Client', 'SYN-SENT');
      await page.getByRole('button', { name: 'SYN', exact: true }).click();
      await page.getByLabel('Sequence number (SEQ)').fill('100');
      await page.getByRole('button', { name: 'Play segment' }).click();
      await waitForState(page, 'Server', 'SYN-RECEIVED');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Save capture (.pcapng)' }).click()]);
      expect(download.suggestedFilename()).toMatch(/^handshake-[2-9A-Z]{6}\.pcapng$/);
      const file = readCapture(new Uint8Array(readFileSync((await download.path())!)));
      expect(file.format).toBe('pcapng');
      const syn = decodeTcp(file.packets[0], 0)!;
      expect(syn).toMatchObject({ flagBits: 2, seq: 100, src: '192.0.2.10', dst: '198.51.100.20' });
      expect(file.packets[0].comment).toContain('Referee');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a finished game is reviewed move by move in the replay: its own capture, judged, with the referee\'s comments', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    try {
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: 'Play against the bot' }).click();
      await waitForState(page, 'Server', 'LISTEN');
      await playToEnd([page]);
      await page.getByRole('button', { name: 'Review this game move by move' }).click();
      await page.getByRole('heading', { name: 'Replay a capture' }).waitFor();
      const status = page.locator('[data-role="replay-status"]');
      await page.waitForFunction(() => /pcapng: \d+ packets, 1 TCP connections/.test(document.querySelector('[data-role="replay-status"]')?.textContent ?? ''));
      expect(await status.textContent()).toMatch(/^handshake-[2-9A-Z]{6}\.pcapng: \d+ packets, 1 TCP connections\.$/);
      expect(await page.getByText(/\d+ expected · \d+ allowed · 0 wrong/).isVisible()).toBe(true);
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      const card = page.locator('[data-role="replay-segment"]');
      expect(await card.textContent()).toContain('SYN seq=0 len=0');
      expect(await card.textContent()).toContain('Referee');
      await shot(page, 'replay-own-game');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
