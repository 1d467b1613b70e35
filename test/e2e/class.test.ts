// 4. A class: a host page (projector size) and two player pages (phones), each its own browser context. The
// players join by the link (a duplicate nickname is refused), the host starts a round, the players play it to
// the end by following the hints (one wrong card first), and the projector shows the pairs, the class's
// mistakes and the leaderboard. A reload gives the player and the host their place back; the CSV holds the
// round; the session ends on a podium. Screenshots in both languages land in test-artifacts/.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { t, tn, type Language, type UiKey } from '../../shared/i18n/index.ts';
import { buildSegment, hintStep, newPlayer, playSegment, shot, useServerAndBrowser } from './helpers.ts';

const setup = useServerAndBrowser();

const PROJECTOR = { width: 1920, height: 1080 };
const PHONE = { width: 390, height: 844 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function setLang(page: Page, lang: Language): Promise<void> {
  await page.getByRole('button', { name: t(lang, `lang.${lang}` as UiKey) }).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/** Shoot a page in both languages (and come back to English). */
async function shootBoth(page: Page, name: string): Promise<void> {
  await shot(page, `${name}-en`);
  await setLang(page, 'zh-CN');
  await shot(page, `${name}-zh-CN`);
  await setLang(page, 'en');
}

const screenOf = (page: Page) => page.evaluate(() => document.getElementById('app')!.dataset.screen);

describe('a class: a host and two players', () => {
  it('joins by link, plays a round, shows tiles, mistakes and the leaderboard', async () => {
    const errors: string[] = [];
    const hostCtx = await newPlayer(setup.browser, errors, 'en-US', PROJECTOR);
    const hostPage = hostCtx.page;
    hostPage.on('dialog', (d) => void d.accept());

    // the host starts a session from the menu: code, link and QR code, big
    await hostPage.goto(setup.server.url);
    await hostPage.getByRole('button', { name: 'Host a class / workshop' }).click();
    const codeBox = hostPage.locator('[data-role="join-code"]');
    await codeBox.waitFor();
    const code = (await codeBox.textContent())!.trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    expect(new URL(hostPage.url()).pathname).toBe(`/host/${code}`);
    const qr = hostPage.getByRole('img', { name: 'QR code of the join link' });
    await qr.waitFor();
    await hostPage.waitForFunction(() => (document.querySelector('.class-qr') as HTMLImageElement | null)?.naturalWidth! > 0);
    expect((await qr.boundingBox())!.width).toBeGreaterThan(300);
    const link = `${setup.server.url}/c/${code}`;
    expect(await hostPage.locator('[data-role="join-link"]').textContent()).toContain(`/c/${code}`);

    // two players join by the link, each in their own browser context (phones)
    const players: { page: Page; close: () => Promise<void> }[] = [];
    for (const nick of ['Ada', 'Bob']) {
      const ctx = await newPlayer(setup.browser, errors, 'en-US', PHONE);
      players.push({ page: ctx.page, close: () => ctx.context.close() });
      await ctx.page.goto(link);
      await ctx.page.getByRole('heading', { name: `Join session ${code}` }).waitFor();
      if (nick === 'Bob') {
        // a nickname already taken (any case) is refused with the server's message
        await ctx.page.getByLabel('Your nickname').fill('  ada ');
        await ctx.page.getByRole('button', { name: 'Join', exact: true }).click();
        await ctx.page.getByRole('main').getByRole('alert').filter({ hasText: /nickname/i }).waitFor();
      }
      await ctx.page.getByLabel('Your nickname').fill(`  ${nick}  `);
      await ctx.page.getByRole('button', { name: 'Join', exact: true }).click();
      await ctx.page.getByRole('heading', { name: `Hello, ${nick}!` }).waitFor();
      await ctx.page.getByText('Waiting for the next round…').waitFor();
    }
    const [ada, bob] = players.map((p) => p.page) as [Page, Page];

    // the lobby shows both, live; the host renames nobody but can lock
    await hostPage.locator('[data-player="Ada"]').waitFor();
    await hostPage.locator('[data-player="Bob"]').waitFor();
    expect(await hostPage.getByRole('heading', { name: 'Players (2)' }).isVisible()).toBe(true);
    await hostPage.getByRole('button', { name: 'Lock the session' }).click();
    await hostPage.getByText('Locked: no new players.').waitFor();
    await shootBoth(hostPage, 'class-host-lobby-locked');
    await hostPage.getByRole('button', { name: 'Unlock the session' }).click();
    await hostPage.getByText('Open: new players can join.').waitFor();
    await shootBoth(hostPage, 'class-host-lobby');
    await shootBoth(ada, 'class-player-lobby');
    // each language punctuates its own way: "Hello, Ada!" and "你好，Ada！"
    await setLang(ada, 'zh-CN');
    await ada.getByRole('heading', { name: '你好，Ada！' }).waitFor();
    await setLang(ada, 'en');

    // a reload keeps the player (the token is kept in the browser)
    await bob.reload();
    await bob.getByRole('heading', { name: 'Hello, Bob!' }).waitFor();

    // the round: a short mission, no faults
    await hostPage.getByLabel('Mission').selectOption('open');
    await hostPage.getByRole('button', { name: 'Start round 1' }).click();
    await hostPage.getByRole('heading', { name: 'Round 1' }).waitFor();
    for (const page of [ada, bob]) await page.getByRole('button', { name: 'Ask for a hint' }).waitFor({ timeout: 15000 });
    // a player's phone during the round: the board, then the hand below it
    await shootBoth(ada, 'class-player-round');
    expect(new URL(ada.url()).pathname).toMatch(/^\/r\/[2-9A-HJKMNP-Z]{6}$/);
    expect(new URL(ada.url()).pathname).toBe(new URL(bob.url()).pathname);
    // in a class room, leaving goes back to the class lobby, not the Menu
    expect(await ada.getByRole('button', { name: 'Back to the class lobby' }).isVisible()).toBe(true);
    expect(await ada.getByRole('button', { name: 'Leave to menu' }).count()).toBe(0);

    // one wrong card first (a bare ACK out of nowhere), so the class's mistakes have something to teach
    const client = (await ada.getByText('You are the Client', { exact: true }).isVisible()) ? ada : bob;
    await buildSegment(client, { flags: ['ACK'], seq: 7, ack: 7 });
    await playSegment(client);
    await client.getByRole('region', { name: 'Referee' }).getByText(/Refused:/).waitFor();
    const mistakes = hostPage.getByRole('region', { name: 'Most common mistakes in the class' });
    await mistakes.locator('li').first().waitFor({ timeout: 10000 });
    const tile = hostPage.locator('.tile').first();
    expect(await tile.textContent()).toContain(tn('en', 'class.host.mistakes', 1));
    expect(await tile.textContent()).toContain('0 mistakes');
    expect(await tile.textContent()).not.toContain('(s)');

    // a step or two, then the projector mid-round
    await hintStep(ada);
    await hintStep(bob);
    await sleep(400);
    const tileText = (await tile.textContent()) ?? '';
    expect(tileText).toContain('Ada');
    expect(tileText).toContain('Bob');
    expect(tileText).toMatch(/LISTEN|SYN-SENT|SYN-RECEIVED|ESTABLISHED/);
    await shootBoth(hostPage, 'class-host-round');

    // the projector link: the live tiles without the host's controls; the view key stays in the fragment
    const projectorHref = (await hostPage.locator('[data-role="projector"]').getAttribute('href'))!;
    expect(projectorHref).toMatch(new RegExp(`^/c/${code}/watch#.+`));
    const projector = await newPlayer(setup.browser, errors, 'en-US', PROJECTOR);
    await projector.page.goto(`${setup.server.url}${projectorHref}`);
    await projector.page.locator('.tile').filter({ hasText: 'Ada' }).waitFor();
    expect(await projector.page.getByRole('heading', { name: 'Round 1' }).isVisible()).toBe(true);
    expect(await projector.page.getByRole('button', { name: 'Stop the round' }).count()).toBe(0);
    expect(await projector.page.getByRole('button', { name: 'End the session' }).count()).toBe(0);
    await shootBoth(projector.page, 'class-projector-round');

    // one pair large, through the ordinary spectator page of its room, framed: no way out to the menu in the
    // frame, no language or skin switch of its own (the host's page has them); its Referee panel counts the
    // pair's mistakes (the wrong card above)
    for (const lang of ['en', 'zh-CN'] as Language[]) {
      await setLang(hostPage, lang);
      await hostPage.getByRole('button', { name: t(lang, 'class.host.watch', { n: 1 }) }).click();
      const frame = hostPage.frameLocator('.watch-overlay iframe');
      await frame.getByText(t(lang, 'room.spectating'), { exact: true }).waitFor({ timeout: 15000 });
      await frame.getByRole('region', { name: t(lang, 'explain.heading') }).getByText(/× 1/).waitFor({ timeout: 10000 });
      expect(await frame.getByRole('region', { name: t(lang, 'explain.heading') }).textContent()).toContain(t(lang, 'explain.spectator'));
      expect(await frame.getByRole('button', { name: t(lang, 'room.leave') }).count()).toBe(0);
      expect(await frame.getByRole('button', { name: t(lang, 'room.leaveClass') }).count()).toBe(0);
      expect(await frame.getByRole('group', { name: t(lang, 'lang.switch') }).count()).toBe(0);
      expect(await frame.getByLabel(t(lang, 'menu.skin')).count()).toBe(0);
      expect(new URL(await frame.locator('body').evaluate(() => location.href)).search).toBe('?spectate=1&embed=1');
      // the board fits beside the frame's side panel: none of it (the server's end, the timeline's right half)
      // hides behind the panel at 1920×1080
      await expect
        .poll(
          () =>
            frame.locator('body').evaluate(() => {
              const canvas = document.querySelector('#stage canvas')?.getBoundingClientRect();
              const panel = document.getElementById('ui')!.getBoundingClientRect();
              if (!canvas) return 'no board yet';
              return canvas.right <= panel.left + 1 && canvas.width > 600 ? 'fits' : `board ${canvas.left}–${canvas.right}, panel from ${panel.left}`;
            }),
          { timeout: 5000 },
        )
        .toBe('fits');
      await hostPage.waitForTimeout(1600);
      await shot(hostPage, `class-host-watch-${lang}`);
      await hostPage.getByRole('button', { name: t(lang, 'class.host.closeWatch') }).click();
    }
    await setLang(hostPage, 'en');

    // the pair plays to the end by the hints; then both players are back in the lobby
    const deadline = Date.now() + 60000;
    const done = new Set<Page>();
    while (done.size < 2 && Date.now() < deadline) {
      for (const page of [ada, bob]) {
        if (done.has(page)) continue;
        if ((await screenOf(page)) === 'class-player') {
          done.add(page);
          continue;
        }
        await hintStep(page);
      }
      await sleep(200);
    }
    expect(done.size).toBe(2);
    const board = hostPage.getByRole('region', { name: 'Leaderboard after round 1' });
    await board.waitFor({ timeout: 15000 });
    const boardText = (await board.textContent()) ?? '';
    expect(boardText).toContain('Ada');
    expect(boardText).toContain('Bob');
    for (const page of [ada, bob]) {
      await page.locator('[data-role="last-round"]').waitFor({ timeout: 10000 });
      expect(await page.getByText('Your pair finished the mission.').isVisible()).toBe(true);
      expect(new URL(page.url()).pathname).toBe(`/c/${code}`);
    }
    expect(await mistakes.textContent()).toMatch(/× 1/);
    // the projector follows to the leaderboard by itself
    await projector.page.getByRole('region', { name: 'Leaderboard after round 1' }).waitFor({ timeout: 15000 });
    await shot(projector.page, 'class-projector-leaderboard-en');
    await projector.context.close();
    await shootBoth(hostPage, 'class-host-leaderboard');
    await shootBoth(ada, 'class-player-after');

    // the host reloads: the key in the browser gives the session back
    await hostPage.reload();
    await hostPage.getByRole('region', { name: 'Leaderboard after round 1' }).waitFor({ timeout: 15000 });

    // the CSV, through a one-time link (the host key never goes into a URL)
    const [download] = await Promise.all([hostPage.waitForEvent('download'), hostPage.locator('[data-role="csv"]').click()]);
    expect(download.url()).toMatch(/\/results\.csv\?token=/);
    expect(download.url()).not.toContain('key=');
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv).toMatch(/^\uFEFF?round,nickname,role/);
    expect(csv).toMatch(/1,Ada,(client|server),Bob,open,normal,yes/);
    expect(csv).toMatch(/1,Bob,(client|server),Ada,open,normal,yes/);

    // the end: a podium
    await hostPage.getByRole('button', { name: 'End the session' }).click();
    await hostPage.getByRole('heading', { name: 'Podium' }).waitFor();
    await shootBoth(hostPage, 'class-host-podium');
    await ada.getByText('The session has ended. Thank you for playing!').waitFor();

    expect(errors).toEqual([]);
    await Promise.all([hostCtx.context.close(), ...players.map((p) => p.close())]);
  });
});
