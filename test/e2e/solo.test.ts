// 1. Solo: a player opens the page, plays the client against the bot (the server), opens the connection,
// sends data, closes, reaches TIME-WAIT and CLOSED, and sees the timeline — all through accessible names —
// then a rematch starts clean.
import { describe, expect, it } from 'vitest';
import {
  announcements,
  buildSegment,
  expectCleanTable,
  newPlayer,
  playSegment,
  playToEnd,
  recordAnnouncements,
  shot,
  statusText,
  waitForState,
  useServerAndBrowser,
} from './helpers.ts';

const setup = useServerAndBrowser();

describe('solo against the bot', () => {
  it('opens, sends data, closes and shows the timeline', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    await recordAnnouncements(context);
    // what the page asks the server for: a game that goes well never needs the whole room again (each update
    // fits onto the last one: versions in order, the timeline change onto the timeline held)
    const sent: string[] = [];
    page.on('websocket', (socket) => socket.on('framesent', (frame) => sent.push(String(frame.payload))));
    await page.goto(setup.server.url);
    await page.getByRole('button', { name: 'Play against the bot' }).click();

    // the bot (the server end) listens first
    await waitForState(page, 'Server', 'LISTEN');
    await page.getByRole('button', { name: 'Connect' }).click();
    await waitForState(page, 'Client', 'SYN-SENT');

    // a malformed card (an acknowledgment number without the ACK flag) is explained at once by the browser's
    // own shape check, and the server's refusal (its verdict is final) agrees
    await buildSegment(page, { flags: ['SYN'], seq: 100, ack: 5 });
    await page.getByRole('button', { name: 'Play segment' }).click();
    await page.getByRole('region', { name: 'Referee' }).getByText('Refused: ACK number without the ACK flag').waitFor({ timeout: 3000 });
    await page.waitForFunction(() => !(document.querySelector('[data-role="play"]') as HTMLButtonElement | null)?.disabled);

    // build the SYN by hand: flag toggle and typed sequence number; step buttons nudge it
    await buildSegment(page, { flags: ['SYN'], seq: 99 });
    await page.getByRole('button', { name: 'Increase SEQ' }).click();
    await expect.poll(() => page.getByLabel('Sequence number (SEQ)').inputValue()).toBe('100');
    await expect.poll(() => page.getByRole('button', { name: 'SYN', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await playSegment(page);

    // the bot answers SYN+ACK; our end owes the third segment of the handshake
    await waitForState(page, 'Client', 'ESTABLISHED');
    await buildSegment(page, { flags: ['ACK'], seq: 101, ack: 301 });
    await playSegment(page);
    await waitForState(page, 'Server', 'ESTABLISHED');
    // each end's numbers, SND.UNA (where a retransmission would start) and its retransmission timeout among them
    expect(await statusText(page)).toMatch(/Client \(you\)[^:]*: ESTABLISHED.*ISS 100, SND\.UNA 101, SND\.NXT 101, RCV\.NXT 301, RTO 3 s/s);
    await shot(page, 'solo-established');

    // send data: the call, then the data segment it owes
    await page.getByLabel('Data to send').fill('HELLO');
    await page.getByRole('button', { name: 'Send data' }).click();
    await buildSegment(page, { flags: ['ACK', 'PSH'], seq: 101, ack: 301, len: 5 });
    await playSegment(page);
    await expect.poll(() => statusText(page), { timeout: 10000 }).toMatch(/Server[^:]*:\s*ESTABLISHED.*RCV\.NXT 106/s);
    // sent but not yet acknowledged: SND.UNA stays at 101 until the server's ACK 106 comes back
    await expect.poll(() => statusText(page), { timeout: 10000 }).toMatch(/SND\.UNA 106, SND\.NXT 106/);

    // close: FIN-WAIT-1 → FIN-WAIT-2 → TIME-WAIT → CLOSED (the rest by following the hints). First wait, as a
    // player would, until the bot has acknowledged the data (its "must send 1" goes): a card played while the
    // bot's answer is on the way is refused as stale (the room moved on), and has to be played again
    await expect.poll(() => statusText(page), { timeout: 10000 }).not.toMatch(/Server:[^●]*must send/);
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await waitForState(page, 'Client', 'FIN-WAIT-1');
    await playToEnd([page], 60000);

    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Mission complete');
    // the 2 MSL wait was announced when it started, after the client was seen to reach TIME-WAIT
    const said = await announcements(page);
    const timeWait = said.findIndex((line) => /client is now TIME-WAIT/.test(line));
    const wait = said.findIndex((line) => /client waits 2 MSL in TIME-WAIT: \d+ s until CLOSED/.test(line));
    expect(timeWait).toBeGreaterThanOrEqual(0);
    expect(wait).toBeGreaterThan(timeWait);
    expect(await page.getByText(/Client[^:]*:\s*(CLOSED|TIME-WAIT)/).first().isVisible()).toBe(true);
    // the timeline: on the board (canvas) and saved as a PNG
    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Save timeline as PNG' }).click();
    expect((await download).suggestedFilename()).toMatch(/timeline\.png$/);
    await shot(page, 'solo-result');
    expect(sent.filter((frame) => frame.includes('"card:play"')).length).toBeGreaterThan(5);
    expect(sent.filter((frame) => frame.includes('"room:resync"'))).toEqual([]);

    // a rematch starts clean: the new game alone on the board (not the last one's "Mission complete"), an empty
    // builder (not the last card), no old verdict or alert
    await page.getByRole('button', { name: 'Rematch (swap ends)' }).click();
    await page.getByText('You are the Server', { exact: true }).waitFor({ timeout: 15000 });
    await expectCleanTable(page, 'solo-rematch');
    expect(errors).toEqual([]);
    await context.close();
  });
});
