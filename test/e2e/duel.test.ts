// 2. Duel: one browser context creates a room, a second joins by its link; they play a whole connection,
// one wrong card is refused with its explanation, and a reload mid-game keeps the seat. A third context
// watches through the spectator link: its Referee panel says where the explanations go and counts the mistakes.
import { describe, expect, it } from 'vitest';
import { t, type Language, type UiKey } from '../../shared/i18n/index.ts';
import {
  buildSegment,
  expectCleanTable,
  newPlayer,
  playSegment,
  playToEnd,
  shot,
  waitForState,
  useServerAndBrowser,
} from './helpers.ts';

const setup = useServerAndBrowser();

describe('duel between two browsers', () => {
  it('creates, joins by link, refuses a wrong card, survives a reload and finishes', async () => {
    const errors: string[] = [];
    const one = await newPlayer(setup.browser, errors);
    const two = await newPlayer(setup.browser, errors);
    const p1 = one.page;
    const p2 = two.page;

    await p1.goto(setup.server.url);
    await p1.getByLabel('Nickname').fill('Ada');
    await p1.getByRole('button', { name: 'Create a room for two' }).click();
    const linkBox = p1.getByLabel('Room link');
    await linkBox.waitFor();
    const link = await linkBox.inputValue();
    expect(link).toMatch(/\/r\/[2-9A-HJKMNP-Z]{6}$/);
    expect(await p1.getByRole('img', { name: 'QR code of the room link' }).isVisible()).toBe(true);
    expect(await p1.getByRole('button', { name: 'Copy link' }).isVisible()).toBe(true);
    // a page on 127.0.0.1 whose server listens there only: the link could not reach a phone, and it says so
    await p1.getByRole('note').filter({ hasText: t('en', 'share.loopback.none', { here: new URL(setup.server.url).host }) }).waitFor();
    await shot(p1, 'duel-waiting');

    // the second visitor takes the free seat: the server end
    await p2.goto(link);
    await p2.getByText('You are the Server', { exact: true }).waitFor();
    await p1.getByRole('region', { name: 'Share this room' }).waitFor({ state: 'detached' });

    // a spectator watches by the separate link; the referee's explanations go to the players, so the
    // spectator's Referee panel says so, and counts the mistakes instead
    const three = await newPlayer(setup.browser, errors);
    const watcher = three.page;
    await watcher.goto(`${link}?spectate=1`);
    await watcher.getByText('You are watching this room', { exact: true }).waitFor();
    const watcherReferee = watcher.getByRole('region', { name: 'Referee' });
    expect(await watcherReferee.textContent()).toContain(t('en', 'explain.spectator'));
    expect(await watcherReferee.textContent()).toContain(t('en', 'explain.spectatorNone'));
    expect(await watcher.getByRole('button', { name: 'Leave to menu' }).isVisible()).toBe(true);

    await p2.getByRole('button', { name: 'Listen' }).click();
    await waitForState(p1, 'Server', 'LISTEN');
    await p1.getByRole('button', { name: 'Connect' }).click();
    await waitForState(p1, 'Client', 'SYN-SENT');

    // a wrong card: the SYN must carry the ISN (100), not 1
    await buildSegment(p1, { flags: ['SYN'], seq: 1 });
    await playSegment(p1);
    const referee = p1.getByRole('region', { name: 'Referee' });
    await referee.getByText(/Refused:/).waitFor();
    const verdict = (await referee.textContent()) ?? '';
    expect(verdict).toMatch(/Refused: wrong sequence number/);
    expect(verdict).toMatch(/100/);
    expect(verdict).toMatch(/RFC 9293/);
    expect(await p1.getByRole('alert').filter({ hasText: 'Refused' }).count()).toBeGreaterThan(0);
    await shot(p1, 'duel-refused');

    // the right SYN
    await buildSegment(p1, { flags: ['SYN'], seq: 100 });
    await playSegment(p1);
    await waitForState(p2, 'Server', 'SYN-RECEIVED');

    // the spectator sees the mistake counted (a refusal is no move: it comes with the next update), in each
    // language, on a phone and on a projector
    await watcherReferee.getByText('Client: wrong sequence number × 1').waitFor({ timeout: 10000 });
    for (const lang of ['en', 'zh-CN'] as Language[]) {
      await watcher.getByRole('button', { name: t(lang, `lang.${lang}` as UiKey) }).click();
      const panel = watcher.getByRole('region', { name: t(lang, 'explain.heading') });
      await panel.getByText(t(lang, 'fmt.label', { label: t(lang, 'skin.network.A'), value: `${t(lang, 'refusal.WRONG_SEQ_NUMBER')} × 1` })).waitFor();
      expect(await panel.textContent()).toContain(t(lang, 'explain.spectator'));
      for (const size of [{ name: 'phone', width: 390, height: 844 }, { name: 'projector', width: 1920, height: 1080 }]) {
        await watcher.setViewportSize(size);
        await watcher.waitForTimeout(400);
        await shot(watcher, `duel-spectator-${lang}-${size.name}`, { fullPage: size.name === 'phone' });
      }
    }
    await watcher.setViewportSize({ width: 1366, height: 768 });
    await watcher.getByRole('button', { name: 'English' }).click();

    // the server's player reloads mid-game and keeps the seat
    await p2.reload();
    await p2.getByText('You are the Server', { exact: true }).waitFor({ timeout: 15000 });
    await waitForState(p2, 'Server', 'SYN-RECEIVED');
    expect(await p2.getByText('Your end must send 1 segment now.').isVisible()).toBe(true);

    await buildSegment(p2, { flags: ['SYN', 'ACK'], seq: 300, ack: 101 });
    await playSegment(p2);
    await waitForState(p1, 'Client', 'ESTABLISHED');
    await buildSegment(p1, { flags: ['ACK'], seq: 101, ack: 301 });
    await playSegment(p1);
    await waitForState(p2, 'Server', 'ESTABLISHED');
    await shot(p2, 'duel-established-server');

    // the rest of the connection (send HELLO, the four-way close) by following the hints
    await playToEnd([p1, p2], 90000);
    for (const page of [p1, p2]) {
      expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Mission complete');
    }
    // the refused card is listed with its explanation under the mistakes
    const mistakes = (await p1.getByRole('list').filter({ hasText: 'wrong sequence number' }).textContent()) ?? '';
    expect(mistakes).toMatch(/wrong sequence number × 1/);
    await shot(p1, 'duel-result-client');

    // rematch swaps the ends
    await p1.getByRole('button', { name: 'Rematch (swap ends)' }).click();
    await p1.getByText('You are the Server', { exact: true }).waitFor({ timeout: 15000 });
    await p2.getByText('You are the Client', { exact: true }).waitFor({ timeout: 15000 });
    // and starts clean for both players and the spectator: the new game alone on the board, nothing of the last
    for (const [page, name] of [[p1, 'duel-rematch-p1'], [p2, 'duel-rematch-p2'], [watcher, 'duel-rematch-spectator']] as const) {
      await expectCleanTable(page, name);
    }

    // the client's player leaves: a bot takes the seat, and the other player is told so
    await p2.getByRole('button', { name: 'Leave to menu' }).click();
    await p1.getByRole('status').filter({ hasText: t('en', 'room.botTookOver', { name: t('en', 'room.friend'), role: 'client' }) }).waitFor({ timeout: 10000 });
    expect(await p1.locator('#alert').textContent()).toContain('a bot plays the client from now on');
    await shot(p1, 'duel-bot-took-over');
    expect(errors).toEqual([]);
    await Promise.all([one.context.close(), two.context.close(), three.context.close()]);
  });
});
