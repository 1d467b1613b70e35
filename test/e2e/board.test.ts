// The board as a phone player meets it: drawn at the screen's pixel density (sharp on a 2× screen), and both
// ends' states and numbers in view while a segment is being built below them.
import { describe, expect, it } from 'vitest';
import { shot, useServerAndBrowser, watchErrors, waitForState } from './helpers.ts';

const setup = useServerAndBrowser();

describe('the board on a phone', () => {
  it('draws at the device pixel ratio, and keeps both ends in view while a segment is built', async () => {
    const errors: string[] = [];
    const context = await setup.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, locale: 'en-US', isMobile: true, hasTouch: true });
    const page = await context.newPage();
    watchErrors(page, errors);
    await page.goto(setup.server.url);
    await page.getByRole('button', { name: 'Play against the bot' }).click();
    await waitForState(page, 'Server', 'LISTEN');
    await page.waitForTimeout(600);
    // the canvas holds two device pixels per CSS pixel, both ways, and fills the stage
    const canvas = await page.locator('#stage canvas').evaluate((c: HTMLCanvasElement) => ({
      width: c.width,
      height: c.height,
      cssWidth: c.getBoundingClientRect().width,
      cssHeight: c.getBoundingClientRect().height,
      stageWidth: document.getElementById('stage')!.clientWidth,
    }));
    expect(canvas.cssWidth).toBe(canvas.stageWidth);
    expect(canvas.width).toBe(Math.round(canvas.cssWidth * 2));
    expect(canvas.height).toBe(Math.round(canvas.cssHeight * 2));
    await shot(page, 'board-phone-dpr2');

    // building a segment far below the board: both ends' states and numbers stay in view
    await page.getByRole('button', { name: 'Connect' }).click();
    await waitForState(page, 'Client', 'SYN-SENT');
    const seq = page.getByLabel('Sequence number (SEQ)');
    await seq.scrollIntoViewIfNeeded();
    await seq.fill('100');
    // the page scrolled as far down as the builder's last controls go: the board and the status list are gone
    await page.getByRole('button', { name: 'Play segment' }).evaluate((el) => el.scrollIntoView({ block: 'center' }));
    expect(await page.getByRole('region', { name: 'Connection status' }).boundingBox().then((b) => b!.y + b!.height < 0)).toBe(true);
    const strip = page.locator('[data-role="hand-ends"]');
    const box = (await strip.boundingBox())!;
    expect(box.y).toBeGreaterThanOrEqual(0);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(await seq.boundingBox().then((b) => b!.y > box.y + box.height)).toBe(true);
    const text = (await strip.textContent()) ?? '';
    expect(text).toMatch(/Client \(you\).*SYN-SENT.*ISS\u00a0100 SND\.UNA\u00a0100 SND\.NXT\u00a0101 RCV\.NXT\u00a00/);
    expect(text).toMatch(/Server.*LISTEN/);
    await shot(page, 'board-phone-building');
    await context.close();
    expect(errors).toEqual([]);
  });
});
