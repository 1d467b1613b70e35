// 4. Learn mode, in each language: the level map (locks, the teacher's switch, corrupt progress ignored), one
// level of the path played through the real page against the bot (level 02, the handshake as the client), its
// hints, the Result with stars and a quiz card answered, and the progress kept for the map. Screenshots of the
// map and of the level's result at phone and projector size land in test-artifacts/.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { t, tn, type Language } from '../../shared/i18n/index.ts';
import { LEVELS } from '../../shared/game/missions.ts';
import { expectCleanTable, newPlayer, playSegment, playToEnd, shot, VIEWPORTS, waitForState, useServerAndBrowser } from './helpers.ts';

const setup = useServerAndBrowser();

const LOCALES: Record<Language, string> = { en: 'en-US', 'zh-CN': 'zh-CN' };
const pick = (lang: Language, text: { en: string; zh: string }) => (lang === 'en' ? text.en : text.zh);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const SIZES = VIEWPORTS.filter((vp) => vp.name !== 'laptop');

async function shootSizes(page: Page, name: string): Promise<void> {
  for (const vp of SIZES) {
    await page.setViewportSize({ width: vp.width, height: vp.height });
    await page.waitForTimeout(300);
    await shot(page, `${name}-${vp.name}`);
  }
  await page.setViewportSize({ width: 1366, height: 768 });
}

describe.each(['en', 'zh-CN'] as Language[])('learn mode, %s', (lang) => {
  it('plays level 02 from the map to its quiz card, and keeps the stars', async () => {
    const errors: string[] = [];
    const { context, page } = await newPlayer(setup.browser, errors, LOCALES[lang]);
    const tr = (key: Parameters<typeof t>[1], params?: Record<string, string | number>) => t(lang, key, params);
    const l01 = LEVELS[0]!;
    const level = LEVELS[1]!;
    expect(level.id).toBe('l02-handshake-client');
    const cardOf = (lv: typeof level) => page.locator(`[data-level="${lv.id}"]`);
    // what the screen shows (the live regions repeat some of it for screen readers)
    const ui = page.locator('#ui');

    // corrupt progress in the browser is ignored, never a crash
    await page.goto(setup.server.url);
    await page.evaluate(() => localStorage.setItem('handshake.learn.v1', '{"v":1,"levels":{"l01-fields":{"stars":"three"}},"showAll":"yes"'));
    await page.reload();
    await page.getByRole('button', { name: tr('learn.menu') }).click();
    await page.getByRole('heading', { level: 1, name: tr('learn.map.heading') }).waitFor();
    expect(page.url()).toMatch(/\/learn$/);
    await page.getByText(tr('learn.map.progress', { done: 0, total: LEVELS.length, stars: 0, max: LEVELS.length * 3 })).waitFor();
    // chapter headings, level 01 open, level 02 locked until 01 is finished (or a teacher unlocks all)
    await page.getByRole('heading', { level: 2, name: new RegExp(escape(tr('learn.chapter.2'))) }).waitFor();
    expect(await cardOf(l01).getAttribute('aria-disabled')).toBeNull();
    expect(await cardOf(level).getAttribute('aria-disabled')).toBe('true');
    expect(await cardOf(level).textContent()).toContain(tr('learn.level.locked'));
    await cardOf(level).focus(); // a locked level stays focusable, says it is locked, and does not start
    await page.keyboard.press('Enter');
    await page.getByText(tr('learn.level.lockedNote')).first().waitFor({ state: 'attached' });
    expect(page.url()).toMatch(/\/learn$/);

    if (lang === 'zh-CN') await page.getByLabel(tr('menu.skin')).selectOption('airport');
    await shootSizes(page, `learn-map-${lang}`);
    const showAll = page.getByLabel(tr('learn.map.showAll'));
    await showAll.check();
    expect(await cardOf(level).getAttribute('aria-disabled')).toBeNull();
    expect(await page.getByLabel(tr('learn.map.showAll')).isChecked()).toBe(true);

    // start level 02 from the keyboard: the room is made with the level's mission and seat
    await page.getByRole('button', { name: new RegExp(escape(pick(lang, level.title))) }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 2, name: tr('learn.table.level', { n: '02', title: pick(lang, level.title) }) }).waitFor();
    await ui.getByText(pick(lang, level.mission)).waitFor();
    expect(page.url()).toMatch(/\/r\/[A-Z0-9]{6}$/);

    // the level's own hints, one at a time
    await page.getByRole('button', { name: tr('learn.hints.show', { left: level.hints.length }) }).click();
    await ui.getByText(pick(lang, level.hints[0]!)).waitFor();
    expect(await ui.getByText(pick(lang, level.hints[1]!)).count()).toBe(0);
    await page.getByRole('button', { name: tr('learn.hints.show', { left: level.hints.length - 1 }) }).waitFor();
    await shootSizes(page, `learn-table-${lang}`);

    if (lang === 'en') {
      // build the handshake by hand once the bot listens: connect, SYN 100, then ACK 101/301
      await waitForState(page, tr('skin.network.B'), 'LISTEN', 15000, tr('board.status'));
      await page.getByRole('button', { name: tr('call.connect') }).click();
      await page.getByRole('button', { name: 'SYN', exact: true }).click();
      await page.getByLabel(tr('hand.seqLabel')).fill('100');
      await playSegment(page, lang);
      await page.getByText(tn(lang, 'hand.owes', 1)).waitFor({ timeout: 15000 });
      await page.getByRole('button', { name: tr('hand.clear') }).click();
      await page.getByRole('button', { name: 'ACK', exact: true }).click();
      await page.getByLabel(tr('hand.seqLabel')).fill('101');
      await page.getByLabel(tr('hand.ackLabel')).fill('301');
      await playSegment(page, lang);
    } else {
      // the airport skin's dialogue grows with the segments; the referee's hint card says what to play
      await page.getByRole('heading', { level: 3, name: tr('learn.story.heading') }).waitFor();
      await page.getByText(tr('learn.story.silent')).waitFor();
      await playToEnd([page], 40000, lang);
    }

    // the Result: stars (finished, no mistakes, but a hint was used), then the quiz cards one by one
    await page.getByRole('heading', { level: 2, name: tr('learn.result.heading', { n: '02', title: pick(lang, level.title) }) }).waitFor({ timeout: 20000 });
    await page.getByText(tr('learn.level.stars', { stars: 2 }), { exact: true }).first().waitFor();
    await page.getByText(tr('learn.result.criterion', { star: tr('learn.result.star.hints'), verdict: tr('learn.result.missed') })).waitFor();
    // a level has its own replay: no rematch with the ends swapped
    expect(await page.getByRole('button', { name: tr('result.rematch') }).count()).toBe(0);
    if (lang === 'zh-CN') await ui.getByText(pick(lang, level.story[2]!.line)).waitFor();

    const [first, second] = level.quiz;
    await page.getByText(tr('learn.quiz.heading', { n: 1, total: level.quiz.length })).waitFor();
    await page.getByRole('button', { name: tr('learn.quiz.check') }).click();
    await page.getByText(tr('learn.quiz.pick')).waitFor();
    await page.getByRole('radio', { name: pick(lang, first!.choices[first!.answer]!) }).check();
    await page.getByRole('button', { name: tr('learn.quiz.check') }).click();
    await ui.getByText(tr('learn.quiz.right')).waitFor();
    await ui.getByText(pick(lang, first!.explanation)).waitFor();
    await page.locator('#learn-result-title').scrollIntoViewIfNeeded();
    await shootSizes(page, `learn-result-${lang}`);
    // further down: the mission and the goals reached, each a template of its language ("任务：…", "完成的目标：…")
    await ui.getByText(tr('room.mission', { name: pick(lang, level.title) })).waitFor();
    await ui.getByText(tr('result.goalsReached', { goals: tr('goal.handshake') })).waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await shot(page, `learn-result-${lang}-phone-full`, { fullPage: true });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByRole('button', { name: tr('learn.quiz.next') }).click();
    await page.getByText(tr('learn.quiz.heading', { n: 2, total: level.quiz.length })).waitFor();
    const wrong = second!.choices.findIndex((_, i) => i !== second!.answer);
    await page.getByRole('radio', { name: pick(lang, second!.choices[wrong]!) }).check();
    await page.getByRole('button', { name: tr('learn.quiz.check') }).click();
    await ui.getByText(tr('learn.quiz.wrong', { answer: pick(lang, second!.choices[second!.answer]!) })).waitFor();

    if (lang === 'en') {
      // the next level starts clean: its own board alone (not this one's "Mission complete"), an empty builder
      // (not the last ACK), no old verdict or alert; then back to the map through the Menu
      const next = LEVELS[2]!;
      await page.getByRole('button', { name: tr('learn.result.next', { level: `03 · ${pick(lang, next.title)}` }) }).click();
      await page.getByRole('heading', { level: 2, name: tr('learn.table.level', { n: '03', title: pick(lang, next.title) }) }).waitFor();
      await expectCleanTable(page, 'learn-next-level');
      await page.getByRole('button', { name: tr('room.leave') }).click();
      await page.getByRole('button', { name: tr('learn.menu') }).click();
    } else {
      await page.getByRole('button', { name: tr('learn.result.map') }).click();
    }
    // back on the map: the stars are kept and the next level is open
    await page.getByRole('heading', { level: 1, name: tr('learn.map.heading') }).waitFor();
    expect(await cardOf(level).textContent()).toContain(tr('learn.level.stars', { stars: 2 }));
    await page.getByLabel(tr('learn.map.showAll')).uncheck();
    expect(await cardOf(LEVELS[2]!).getAttribute('aria-disabled')).toBeNull();
    expect(await cardOf(LEVELS[3]!).getAttribute('aria-disabled')).toBe('true');
    const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('handshake.learn.v1') ?? 'null'));
    expect(stored).toMatchObject({ v: 1, levels: { [level.id]: { stars: 2, done: true } } });
    expect(stored.levels['l01-fields']).toBeUndefined();

    expect(errors).toEqual([]);
    await context.close();
  });
});
