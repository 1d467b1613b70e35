// 3. Both languages render on every screen at the three viewports (phone, laptop, projector), with no console
// errors; the screenshots land in test-artifacts/ to be looked at. One game is enough for both languages: each
// screen is shot, and checked by axe-core (no serious or critical violation of the DOM layer), in one language,
// then again after switching to the other at run time. The first language comes from the browser.
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { t, type Language, type UiKey } from '../../shared/i18n/index.ts';
import { PATH_LEVELS } from '../../shared/levels/path.ts';
import { newPlayer, playToEnd, shot, VIEWPORTS, useServerAndBrowser } from './helpers.ts';

const setup = useServerAndBrowser();

async function shootAll(page: Page, name: string): Promise<void> {
  const t0 = Date.now();
  for (const vp of VIEWPORTS) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await page.waitForTimeout(400);
    await shot(page, `${name}-${vp.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
  if (process.env.E2E_DEBUG) console.log('shots', name, Date.now() - t0, 'ms');
}

/** Serious and critical violations on the page as it is now, as "rule: target" lines (empty when none). */
async function violations(page: Page, screen: string): Promise<string[]> {
  const t0 = Date.now();
  await page.waitForTimeout(200);
  const r = await violationsNow(page, screen);
  if (process.env.E2E_DEBUG) console.log('axe', screen, Date.now() - t0, 'ms');
  return r;
}

async function violationsNow(page: Page, screen: string): Promise<string[]> {
  const result = await new AxeBuilder({ page }).analyze();
  if (process.env.E2E_DEBUG) console.log(screen, `${result.passes.length} rules passed;`, result.violations.map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}`).join(', ') || 'no violations');
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${screen}: ${v.id} (${v.impact}) ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`));
}

async function switchTo(page: Page, lang: Language): Promise<void> {
  await page.getByRole('button', { name: t(lang, `lang.${lang}` as UiKey) }).click();
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

const OTHER: Record<Language, Language> = { en: 'zh-CN', 'zh-CN': 'en' };

describe('both languages', () => {
  it('the first language comes from the browser', async () => {
    for (const [locale, lang] of [['zh-CN', 'zh-CN'], ['en-US', 'en'], ['fr-FR', 'en']] as const) {
      const errors: string[] = [];
      const { context, page } = await newPlayer(setup.browser, errors, locale);
      await page.goto(setup.server.url);
      await page.getByRole('heading', { name: t(lang, 'menu.heading') }).waitFor();
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
      expect(await page.getByRole('button', { name: t(lang, `lang.${lang}`) }).getAttribute('aria-pressed')).toBe('true');
      await context.close();
      expect(errors).toEqual([]);
    }
  });

  it('render menu, table, result, level map and class lobby, switched at run time, with no serious accessibility violation', async () => {
    const errors: string[] = [];
    const found: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors, 'en-US');
    /**
     * Check the screen with axe-core in the language shown (an accessibility check takes seconds, and what it
     * checks — names, roles, contrast — is the same in both: the screens take turns), shoot it in that language
     * and in the other one, and come back.
     */
    const both = async (lang: Language, screen: string, name: string | null): Promise<void> => {
      found.push(...(await violations(page, `${screen} (${lang})`)));
      if (!name) return;
      for (const l of [lang, OTHER[lang]]) {
        if (l !== lang) await switchTo(page, l);
        await shootAll(page, `${name}-${l}`);
      }
      await switchTo(page, lang);
    };
    await page.goto(setup.server.url);
    await page.getByRole('group', { name: t('en', 'lang.switch') }).waitFor();
    // the menu counts the path's levels from the level list (the text has a placeholder, not a number)
    expect(await page.locator('#learn-entry-note').textContent()).toBe(t('en', 'learn.menuNote', { count: PATH_LEVELS.length }));
    // the top of the menu (opening "How to play" below scrolls it away)
    await both('en', 'menu', 'menu-top');
    await page.getByText(t('en', 'menu.howto')).click();
    for (const lang of ['en', 'zh-CN'] as Language[]) {
      await switchTo(page, lang);
      await shootAll(page, `menu-${lang}`);
    }

    // in Chinese from here: the airport skin names the ends after the lecture notes' story
    const lang: Language = 'zh-CN';
    await page.getByLabel(t(lang, 'menu.skin')).selectOption('airport');
    await page.getByLabel(t(lang, 'menu.mission')).selectOption('open');
    await page.getByLabel(t(lang, 'menu.difficulty')).selectOption('easy');
    expect(await page.getByLabel(t(lang, 'menu.seat')).textContent()).toContain(t(lang, 'skin.airport.A'));
    await both(lang, 'menu, airport skin', 'menu-airport');
    await page.getByRole('button', { name: t(lang, 'menu.playBot') }).click();
    await page.getByRole('button', { name: t(lang, 'call.connect') }).click();
    await page.getByRole('button', { name: t(lang, 'hand.play') }).waitFor();
    await page.waitForTimeout(600);
    for (const l of [lang, OTHER[lang]]) {
      await switchTo(page, l);
      // the role line is one template per language (its own punctuation), filled with the parts
      const mission = t(l, 'room.mission', { name: t(l, 'mission.open') });
      const network = t(l, 'room.network', { network: t(l, 'network.label', { name: t(l, 'network.reliable'), detail: t(l, 'network.none') }) });
      expect(await page.locator('.role-line').textContent()).toBe(t(l, 'room.roleLine', { who: t(l, 'room.youAre', { role: t(l, 'skin.airport.A') }), mission, network }));
      // each end's status line too: "Pilot · 3U8633 (you): SYN-SENT — …" / "机长 · 川航 3U8633（你）：SYN-SENT——…"
      const you = t(l, 'board.you', { role: t(l, 'skin.airport.A') });
      expect(await page.locator('[data-role="ends"] li[data-end="A"]').textContent()).toContain(t(l, 'fmt.label', { label: you, value: '' }).trim());
      if (l === lang) found.push(...(await violations(page, `table (${l})`)));
      await shootAll(page, `table-${l}`);
      // on a phone the hand, the referee and the quiz are below the board: the whole page, scrolled
      await page.setViewportSize({ width: 390, height: 844 });
      await shot(page, `table-${l}-phone-full`, { fullPage: true });
      await page.setViewportSize({ width: 1366, height: 768 });
    }
    await switchTo(page, lang);

    const tg = Date.now();
    await playToEnd([page], 60000, lang);
    if (process.env.E2E_DEBUG) console.log('game', Date.now() - tg, 'ms');
    const outcomes = (l: Language) => new RegExp((['completed', 'reset', 'aborted', 'none'] as const).map((o) => t(l, `result.outcome.${o}`)).join('|'));
    await page.getByRole('heading', { level: 1, name: outcomes(lang) }).waitFor();
    expect(await page.locator('.result').textContent()).toContain(t(lang, 'room.mission', { name: t(lang, 'mission.open') }));
    await switchTo(page, 'en');
    await both('en', 'result', 'result');

    // the language switched to is remembered across a reload, and so is the skin
    await page.getByRole('heading', { level: 1, name: outcomes('en') }).waitFor();
    await page.getByRole('button', { name: t('en', 'result.menu') }).click();
    await page.getByRole('heading', { name: t('en', 'menu.heading') }).waitFor();
    await page.reload();
    await page.getByRole('heading', { name: t('en', 'menu.heading') }).waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    expect(await page.getByLabel(t('en', 'menu.skin')).inputValue()).toBe('airport');
    await page.getByLabel(t('en', 'menu.skin')).selectOption('network');

    // the level map and the host's class lobby
    await page.getByRole('button', { name: t('en', 'learn.menu') }).click();
    await page.getByRole('heading', { level: 1, name: t('en', 'learn.map.heading') }).waitFor();
    await switchTo(page, 'zh-CN');
    await both('zh-CN', 'level map', null);
    await switchTo(page, 'en');
    await page.goto(setup.server.url);
    await page.getByRole('button', { name: t('en', 'class.menu.host') }).click();
    await page.getByRole('heading', { name: t('en', 'class.host.players', { count: 0 }) }).waitFor({ timeout: 15000 });
    await both('en', 'class lobby', null);

    expect(found).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  }, 240_000); // some 30 screenshots and 6 accessibility checks, a few seconds each on a busy machine
});
