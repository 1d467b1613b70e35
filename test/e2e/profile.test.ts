// The Linux profile from the Menu, in the real Chromium: "TCP behaviour: As Linux does" with its explanation,
// a game against the bot whose table says so, and an abort whose RST must carry ACK as Linux's does.
import { describe, expect, it } from 'vitest';
import { buildSegment, newPlayer, playSegment, shot, useServerAndBrowser, VIEWPORTS, waitForState } from './helpers.ts';

const setup = useServerAndBrowser();

describe('the Linux profile from the Menu', () => {
  it('creates a game with Linux\'s choices: the abort\'s RST carries ACK', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    try {
      await page.goto(setup.server.url);
      const select = page.getByLabel('TCP behaviour');
      expect(await select.inputValue()).toBe('rfc');
      expect(await page.getByText('Linux sometimes chooses otherwise').isVisible()).toBe(true);
      await select.selectOption('linux');
      await page.getByRole('button', { name: 'Play against the bot' }).click();
      await waitForState(page, 'Server', 'LISTEN');
      expect(await page.locator('[data-role="profile"]').textContent()).toBe('TCP: as Linux does');

      await page.getByRole('button', { name: 'Connect' }).click();
      await waitForState(page, 'Client', 'SYN-SENT');
      await buildSegment(page, { flags: ['SYN'], seq: 100 });
      await playSegment(page);
      // the bot's SYN,ACK has arrived when the client owes its ACK
      await page.waitForFunction(() => document.querySelector('[data-role="owes"]')?.classList.contains('due'), null, { timeout: 15_000 });
      await buildSegment(page, { flags: ['ACK'], seq: 101, ack: 301 });
      await playSegment(page);
      await waitForState(page, 'Server', 'ESTABLISHED');

      await page.getByRole('button', { name: 'Abort' }).click();
      await waitForState(page, 'Client', 'CLOSED');
      // the RFC's plain RST is refused under this profile, with the referee's reason
      await buildSegment(page, { flags: ['RST'], seq: 101 });
      await playSegment(page);
      const referee = page.getByRole('region', { name: 'Referee' });
      await referee.getByText('Refused: missing ACK flag').waitFor();
      await buildSegment(page, { flags: ['RST', 'ACK'], seq: 101, ack: 301 });
      await playSegment(page);
      await page.waitForFunction(() => document.getElementById('app')?.dataset.screen === 'result', null, { timeout: 15_000 });
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('explains the choice in Chinese on a phone', async () => {
    const errors: string[] = [];
    const phone = VIEWPORTS.find((v) => v.name === 'phone')!;
    const { context, page } = await newPlayer(setup.browser, errors, 'zh-CN', phone);
    try {
      await page.goto(setup.server.url);
      const select = page.getByLabel('TCP 行为');
      await select.selectOption('linux');
      expect(await page.getByText('Linux 有时另有选择').isVisible()).toBe(true);
      await select.scrollIntoViewIfNeeded();
      await shot(page, 'menu-profile-zh-phone');
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
