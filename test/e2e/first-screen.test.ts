// The first screen is there at once: the Menu, the class join form and the level map are plain DOM and never wait
// for the board's code (Phaser, ~350 kB gzip). With every request for the board's chunks held back, each of them
// still shows and works; the board loads when a game needs it. On the way, the class pages say what a host on
// 127.0.0.1 and a browser without the host key need to know.
import { describe, expect, it } from 'vitest';
import type { BrowserContext } from 'playwright-core';
import { t } from '../../shared/i18n/index.ts';
import { newPlayer, shot, useServerAndBrowser } from './helpers.ts';

const setup = useServerAndBrowser();

/** Hold back the board's chunks (Phaser and the scenes) until `release` is called. */
async function holdBoard(context: BrowserContext): Promise<{ requested: () => string[]; release: () => void }> {
  const requested: string[] = [];
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  await context.route(/\/assets\/(phaser|board)-[^/]+\.js$/, async (route) => {
    requested.push(new URL(route.request().url()).pathname);
    await released;
    await route.continue();
  });
  return { requested: () => requested, release };
}

describe('the first screen', () => {
  it('shows the Menu, the class join form and the level map before Phaser has loaded, and the board when a game starts', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors, 'en-US', { width: 390, height: 844 });
    const board = await holdBoard(context);
    try {
      await page.goto(setup.server.url);
      const play = page.getByRole('button', { name: 'Play against the bot' });
      await play.waitFor();
      expect(await play.isEnabled()).toBe(true);
      expect(await page.getByLabel('Room code').isVisible()).toBe(true);
      expect(await page.evaluate(() => typeof (window as unknown as { Phaser?: unknown }).Phaser)).toBe('undefined');
      expect(await page.evaluate(() => !!(window as unknown as { __handshake: { game?: unknown } }).__handshake.game)).toBe(false);

      // the level map
      await page.getByRole('button', { name: /Learn/ }).first().click();
      await page.locator('#learn-title').waitFor();
      expect(await page.evaluate(() => document.getElementById('app')!.dataset.screen)).toBe('learn');

      // a class: the host's page and a player's join form, in another context whose board is held back too
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: 'Host a class / workshop' }).click();
      const code = (await page.locator('[data-role="join-code"]').textContent({ timeout: 15000 }))!.trim();
      // opened on 127.0.0.1 with a server that listens there only: the join link could not reach a phone, and
      // the page says so and what to do (HOST, PUBLIC_URL)
      const here = new URL(setup.server.url).host;
      await page.getByRole('note').filter({ hasText: t('en', 'share.loopback.none', { here }) }).waitFor();
      await shot(page, 'class-host-loopback-note');
      const student = await newPlayer(setup.browser, errors, 'en-US', { width: 390, height: 844 });
      const studentBoard = await holdBoard(student.context);
      await student.page.goto(`${setup.server.url}/c/${code}`);
      await student.page.getByRole('heading', { name: `Join session ${code}` }).waitFor();
      expect(await student.page.getByLabel('Your nickname').isEditable()).toBe(true);
      // another browser than the host's opens the host's address: it says this browser lacks the host key (not
      // that the running session is gone)
      await student.page.goto(`${setup.server.url}/host/${code}`);
      await student.page.getByRole('heading', { name: t('en', 'class.host.noKey') }).waitFor();
      studentBoard.release();
      await student.context.close();

      // nothing of the board was ever needed so far (it may have been asked for in the background, never waited on)
      expect(await page.evaluate(() => !!(window as unknown as { __handshake: { game?: unknown } }).__handshake.game)).toBe(false);

      // a game needs the board: it says it is loading, then the Table comes once Phaser is there
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: 'Play against the bot' }).click();
      await page.waitForFunction(() => document.getElementById('app')!.dataset.screen === 'loading');
      expect(await page.getByRole('status').filter({ hasText: 'Loading' }).first().isVisible()).toBe(true);
      board.release();
      await page.waitForFunction(() => document.getElementById('app')!.dataset.screen === 'table' && !!document.querySelector('#stage canvas'), null, { timeout: 20000 });
      expect(board.requested().some((p) => /phaser-/.test(p))).toBe(true);
    } finally {
      board.release();
      await context.close();
    }
    expect(errors).toEqual([]);
  });
});
