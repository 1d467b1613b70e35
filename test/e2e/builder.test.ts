// The segment builder as a player meets it: the SEQ and ACK fields show every digit of the largest 32-bit
// number on a laptop and on a phone, and a number past it wraps modulo 2^32 with a note — never silently.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { t } from '../../shared/i18n/index.ts';
import { newPlayer, shot, useServerAndBrowser } from './helpers.ts';

const setup = useServerAndBrowser();

/** How many pixels of the field's text are hidden (0: it all shows). */
const hiddenPixels = (page: Page, label: string) =>
  page.getByLabel(label).evaluate((input: HTMLInputElement) => {
    // a number input does not report its text's width: measure the text in the field's own font
    const style = getComputedStyle(input);
    const ctx = document.createElement('canvas').getContext('2d')!;
    ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const inner = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    return Math.max(0, Math.ceil(ctx.measureText(input.value).width - inner));
  });

describe('the segment builder', () => {
  it('shows ten-digit sequence numbers whole, and wraps 2^32 with a note', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors);
    await page.goto(setup.server.url);
    await page.getByRole('button', { name: 'Play against the bot' }).click();
    const seq = page.getByLabel('Sequence number (SEQ)');
    await seq.waitFor();
    for (const size of [{ width: 1366, height: 768 }, { width: 390, height: 844 }, { width: 1920, height: 1080 }]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(200);
      for (const label of ['Sequence number (SEQ)', 'Acknowledgment number (ACK)']) {
        await page.getByLabel(label).fill('4294967295');
        expect(await hiddenPixels(page, label), `${label} at ${size.width}×${size.height}`).toBe(0);
      }
    }
    await page.setViewportSize({ width: 1366, height: 768 });

    // 2^32 is 0 again, and the builder says why
    await seq.fill('4294967296');
    expect(await seq.inputValue()).toBe('0');
    const note = page.getByRole('status').filter({ hasText: '32 bits' });
    expect(await note.textContent()).toBe(t('en', 'hand.wrapped', { typed: '4294967296', value: 0 }));
    expect(await page.locator('[data-role="preview"]').textContent()).toContain('seq=0');
    await seq.scrollIntoViewIfNeeded();
    await shot(page, 'builder-wrapped-en');
    // stepping down from 0 comes round to 2^32 − 1, also with a word
    await page.getByRole('button', { name: 'Decrease SEQ' }).click();
    expect(await seq.inputValue()).toBe('4294967295');
    expect(await page.getByRole('status').filter({ hasText: '2^32' }).textContent()).toBe(t('en', 'hand.wrappedStep', { value: 4294967295 }));
    // an ordinary number clears the note
    await seq.fill('100');
    expect(await page.locator('[data-role="num-note"]').isHidden()).toBe(true);
    await context.close();
    expect(errors).toEqual([]);
  });
});
