// Wireshark in and out, in the real Chromium: "Replay a capture" reads a real Linux capture in the browser (the
// judge runs in a Worker), lists its connection and replays it segment by segment with the verdicts; bad input
// gets its message in both languages; and the Table's "Save capture (.pcapng)" downloads the round as pcapng.
import { readFileSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../shared/capture/file.ts';
import { decodeTcp } from '../../shared/capture/frames.ts';
import { ARTIFACTS, buildSegment, newPlayer, playToEnd, ROOT, shot, useServerAndBrowser, VIEWPORTS, waitForState } from './helpers.ts';

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
      await page.locator('[data-role="replay-status"]', { hasText: 'abort.pcap: 6 packets, 1 TCP connection.' }).waitFor();
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
      // SND.UNA, SND.NXT and RCV.NXT in the same numbering as the segments: A's SYN took relative 0
      expect(await card.textContent()).toContain('A: SND.UNA 0 · SND.NXT 1 · RCV.NXT 0');
      // the numbers on the wire, which the explanation quotes, are shown too
      const rawLine = (await card.locator('[data-role="raw-line"]').textContent())!;
      const rawSeq = /SYN seq=(\d{4,}) len=0/.exec(rawLine)![1];
      expect(rawLine).toContain('On the wire (the numbers the explanation quotes)');
      // absolute numbers on request (then the raw line would repeat the same numbers: it goes)
      await page.getByLabel('Relative sequence numbers (as Wireshark shows them)').uncheck();
      expect(await card.textContent()).toMatch(/SYN seq=\d{4,} len=0/);
      expect(await card.locator('[data-role="raw-line"]').count()).toBe(0);
      expect(await card.textContent()).toMatch(/A: SND.UNA \d{4,} · SND.NXT \d{4,}/);
      await page.getByLabel('Relative sequence numbers (as Wireshark shows them)').check();
      // the SYN,ACK's explanation quotes the SYN it answers as on the wire: the number of the SYN's raw line
      await page.getByRole('button', { name: 'Step', exact: true }).click();
      expect(await card.textContent()).toContain('SYN seq=0 ack=1 len=0');
      expect(await card.locator('[data-role="explanation"]').textContent()).toContain(`seq=${rawSeq}`);

      // to the end: the RST with ACK is Linux's choice, allowed under the RFC profile
      for (let i = 0; i < 4; i++) await page.getByRole('button', { name: 'Step', exact: true }).click();
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
      await page.getByRole('button', { name: 'Play', exact: true }).click();
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

  it('plays along: the hidden segment is built as a card, judged as in a game, revealed, and scored', async () => {
    const errors: string[] = [];
    const phone = VIEWPORTS.find((v) => v.name === 'phone')!;
    const projector = VIEWPORTS.find((v) => v.name === 'projector')!;
    const { context, page } = await newPlayer(setup.browser, errors, 'en-US', phone);
    try {
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: 'Replay a capture' }).click();
      await page.getByLabel('Capture file', { exact: true }).setInputFiles(ABORT);
      await page.locator('[data-role="replay-status"]', { hasText: 'abort.pcap: 6 packets' }).waitFor();
      const toggle = page.getByRole('button', { name: 'Play along' });
      await toggle.click();
      expect(await toggle.getAttribute('aria-pressed')).toBe('true');
      const score = page.locator('[data-role="play-along-score"]');
      expect(await score.textContent()).toBe('Score: 0 of 0 right');

      // the first segment is hidden: no segment card, no step onto it, the builder is there
      await page.getByRole('heading', { name: 'Packet 1: A → B is hidden. What does A send?' }).waitFor();
      expect(await page.locator('[data-role="replay-segment"]').count()).toBe(0);
      expect(await page.getByRole('button', { name: 'Step', exact: true }).isDisabled()).toBe(true);
      expect(await page.locator('[data-role="play-along-call"]').textContent()).toBe('Just before it, the application at A called connect.');

      // right: the SYN, in relative numbers
      await buildSegment(page, { flags: ['SYN'], seq: 0 });
      await page.getByRole('button', { name: 'Check my segment' }).click();
      const verdict = page.locator('[data-role="play-along-verdict"]');
      await verdict.waitFor();
      expect(await verdict.getAttribute('data-right')).toBe('true');
      expect(await verdict.textContent()).toContain('Right.');
      expect(await page.locator('[data-role="play-along-explanation"]').textContent()).toBe('Right: that is the segment A (client) sent.');
      expect(await score.textContent()).toBe('Score: 1 of 1 right');
      // the real segment is revealed, with the judge's verdict
      expect(await page.locator('[data-role="replay-segment"]').textContent()).toContain('SYN seq=0 len=0');
      expect(await page.getByText('Segment 1 of 6').isVisible()).toBe(true);

      // wrong: the SYN-ACK acknowledging the client's ISS itself (the classic ACK = SEQ mistake)
      await page.getByRole('button', { name: 'Build the next segment' }).click();
      await page.getByRole('heading', { name: 'Packet 2: B → A is hidden. What does B send?' }).waitFor();
      await buildSegment(page, { flags: ['SYN', 'ACK'], seq: 0, ack: 0 });
      await page.getByRole('button', { name: 'Check my segment' }).click();
      await page.locator('[data-role="play-along-verdict"][data-right="false"]').waitFor();
      expect(await verdict.textContent()).toContain('Wrong: ACK copied from SEQ');
      expect(await page.locator('[data-role="play-along-explanation"]').textContent()).toContain('The ACK number must be 1, not 0: an ACK names the next number you expect');
      expect(await page.locator('[data-role="play-along-real"]').textContent()).toBe('The real segment: ACK,SYN seq=0 ack=1 len=0');
      expect(await score.textContent()).toBe('Score: 1 of 2 right');
      expect(await page.getByText('Segment 2 of 6').isVisible()).toBe(true);
      await page.locator('[data-role="play-along-verdict"]').scrollIntoViewIfNeeded();
      await shot(page, 'replay-play-along-en-phone');
      await page.setViewportSize(projector);
      await shot(page, 'replay-play-along-en-projector', { fullPage: true });

      // in Chinese: the verdict, its explanation and the score in the game's other language
      await page.getByRole('button', { name: '中文' }).click();
      await page.getByRole('heading', { name: '回放抓包文件' }).waitFor();
      expect(await score.textContent()).toBe('得分：2 个中答对 1 个');
      expect(await verdict.textContent()).toContain('错误：把 SEQ 抄成了 ACK');
      expect(await page.locator('[data-role="play-along-explanation"]').textContent()).toContain('确认号应该是 1，而不是 0');
      await shot(page, 'replay-play-along-zh-projector', { fullPage: true });
      // the next one, in Chinese, at phone size: the builder with its Chinese labels
      await page.getByRole('button', { name: '搭建下一个报文段' }).click();
      await page.getByRole('heading', { name: '第 3 个数据包（A → B）已隐藏。A 会发送什么？' }).waitFor();
      await page.setViewportSize(phone);
      await page.getByRole('button', { name: '检查我的报文段' }).scrollIntoViewIfNeeded();
      await shot(page, 'replay-play-along-zh-phone');
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
      await page.waitForFunction(() => /pcapng: \d+ packets, 1 TCP connection\./.test(document.querySelector('[data-role="replay-status"]')?.textContent ?? ''));
      expect(await status.textContent()).toMatch(/^handshake-[2-9A-Z]{6}\.pcapng: \d+ packets, 1 TCP connection\.$/);
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
