// 3. Both languages render on every screen at the three viewports (phone, laptop, projector), with no console
// errors; the screenshots land in test-artifacts/ to be looked at.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { t, type Language } from '../../shared/i18n/index.ts';
import { PATH_LEVELS } from '../../shared/levels/path.ts';
import { newPlayer, playToEnd, shot, VIEWPORTS, useServerAndBrowser } from './helpers.ts';

const setup = useServerAndBrowser();

async function shootAll(page: Page, name: string): Promise<void> {
  for (const vp of VIEWPORTS) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await page.waitForTimeout(400);
    await shot(page, `${name}-${vp.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

const LOCALES: Record<Language, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };

describe.each(['en', 'zh-CN'] as Language[])('language %s', (lang) => {
  it('renders menu, table and result, and switches language', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors, LOCALES[lang]);
    await page.goto(setup.server.url);
    // the first language comes from the browser
    await page.getByRole('heading', { name: t(lang, 'menu.heading') }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
    expect(await page.getByRole('button', { name: t(lang, `lang.${lang}`) }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('group', { name: t(lang, 'lang.switch') }).waitFor();
    // the menu counts the path's levels from the level list (the text has a placeholder, not a number)
    expect(await page.locator('#learn-entry-note').textContent()).toBe(t(lang, 'learn.menuNote', { count: PATH_LEVELS.length }));
    // the top of the menu (opening "How to play" below scrolls it away)
    await shootAll(page, `menu-top-${lang}`);
    await page.getByText(t(lang, 'menu.howto')).click();
    await shootAll(page, `menu-${lang}`);

    // the airport skin names the ends after the lecture notes' story
    await page.getByLabel(t(lang, 'menu.skin')).selectOption('airport');
    await page.getByLabel(t(lang, 'menu.mission')).selectOption('open');
    await page.getByLabel(t(lang, 'menu.difficulty')).selectOption('easy');
    expect(await page.getByLabel(t(lang, 'menu.seat')).textContent()).toContain(t(lang, 'skin.airport.A'));
    await shootAll(page, `menu-airport-${lang}`);
    await page.getByRole('button', { name: t(lang, 'menu.playBot') }).click();
    await page.getByRole('button', { name: t(lang, 'call.connect') }).click();
    await page.getByRole('button', { name: t(lang, 'hand.play') }).waitFor();
    await page.waitForTimeout(600);
    // the role line is one template per language (its own punctuation), filled with the parts
    const mission = t(lang, 'room.mission', { name: t(lang, 'mission.open') });
    const network = t(lang, 'room.network', { network: t(lang, 'network.label', { name: t(lang, 'network.reliable'), detail: t(lang, 'network.none') }) });
    expect(await page.locator('.role-line').textContent()).toBe(t(lang, 'room.roleLine', { who: t(lang, 'room.youAre', { role: t(lang, 'skin.airport.A') }), mission, network }));
    // each end's status line too: "Pilot · 3U8633 (you): SYN-SENT — …" / "机长 · 川航 3U8633（你）：SYN-SENT——…"
    const you = t(lang, 'board.you', { role: t(lang, 'skin.airport.A') });
    expect(await page.locator('[data-role="ends"] li[data-end="A"]').textContent()).toContain(t(lang, 'fmt.label', { label: you, value: '' }).trim());
    await shootAll(page, `table-${lang}`);
    // on a phone the hand, the referee and the quiz are below the board: the whole page, scrolled
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, `table-${lang}-phone-full`, { fullPage: true });
    await page.setViewportSize({ width: 1366, height: 768 });

    await playToEnd([page], 60000, lang);
    const outcomes = (l: Language) => new RegExp((['completed', 'reset', 'aborted', 'none'] as const).map((o) => t(l, `result.outcome.${o}`)).join('|'));
    await page.getByRole('heading', { level: 1, name: outcomes(lang) }).waitFor();
    expect(await page.locator('.result').textContent()).toContain(mission);
    await shootAll(page, `result-${lang}`);

    // switch language at run time; it is remembered across a reload
    const other: Language = lang === 'en' ? 'zh-CN' : 'en';
    await page.getByRole('button', { name: t(other, `lang.${other}`) }).click();
    await page.getByRole('heading', { level: 1, name: outcomes(other) }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe(other);
    await page.getByRole('button', { name: t(other, 'result.menu') }).click();
    await page.getByRole('heading', { name: t(other, 'menu.heading') }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: t(other, 'menu.heading') }).waitFor();
    // the skin was remembered too
    expect(await page.getByLabel(t(other, 'menu.skin')).inputValue()).toBe('airport');
    await page.getByLabel(t(other, 'menu.skin')).selectOption('network');

    expect(errors).toEqual([]);
    await context.close();
  });
});
