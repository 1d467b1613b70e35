// Accessibility: axe-core checks the DOM layer of the Menu, the Table, the Result, Learn mode's level map and the
// host's class lobby (laptop size, each language once), and the test fails on any serious or critical violation.
import { AxeBuilder } from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { t, type Language } from '../../shared/i18n/index.ts';
import { newPlayer, playToEnd, useServerAndBrowser } from './helpers.ts';

const setup = useServerAndBrowser();

/** Serious and critical violations on the page as it is now, as "rule: target" lines (empty when none). */
async function violations(page: Page, screen: string): Promise<string[]> {
  await page.waitForTimeout(200);
  const result = await new AxeBuilder({ page }).analyze();
  if (process.env.E2E_DEBUG) console.log(screen, `${result.passes.length} rules passed;`, result.violations.map((v) => `${v.id} (${v.impact}) ×${v.nodes.length}`).join(', ') || 'no violations');
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) => v.nodes.map((n) => `${screen}: ${v.id} (${v.impact}) ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1, 2).join('')}`));
}

describe('accessibility (axe-core)', () => {
  for (const lang of ['en', 'zh-CN'] as Language[]) {
    it(`Menu, Table, Result, level map and class lobby have no serious violations (${lang})`, async () => {
      const errors: string[] = [];
      const tr = (key: Parameters<typeof t>[1]) => t(lang, key);
      const { context, page } = await newPlayer(setup.browser, errors, lang === 'en' ? 'en-US' : 'zh-CN');
      const found: string[] = [];
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: tr('menu.playBot') }).waitFor();
      found.push(...(await violations(page, 'menu')));

      // the Table, then the Result of a short mission played by the hints
      // (on an unreliable network: the Table names it, with what it does)
      await page.getByLabel(tr('menu.mission')).selectOption('open');
      await page.getByLabel(tr('menu.network')).selectOption('unreliable');
      await page.getByRole('button', { name: tr('menu.playBot') }).click();
      await page.getByRole('button', { name: tr('explain.askHint') }).waitFor();
      const network = t(lang, 'room.network', {
        network: t(lang, 'network.label', {
          name: tr('network.unreliable'),
          detail: [t(lang, 'network.loss', { percent: 15 }), t(lang, 'network.duplicate', { percent: 10 }), t(lang, 'network.reorder', { percent: 10 })].join(tr('network.sep')),
        }),
      });
      expect(await page.locator('[data-role="network"]').textContent()).toBe(network);
      found.push(...(await violations(page, 'table')));
      await playToEnd([page], 40000, lang);
      found.push(...(await violations(page, 'result')));

      // the level map
      await page.getByRole('button', { name: tr('result.menu') }).click();
      await page.getByRole('button', { name: tr('learn.menu') }).click();
      await page.getByRole('heading', { level: 1, name: tr('learn.map.heading') }).waitFor();
      found.push(...(await violations(page, 'level map')));

      // the host's class lobby
      await page.goto(setup.server.url);
      await page.getByRole('button', { name: tr('class.menu.host') }).click();
      await page.getByRole('heading', { name: t(lang, 'class.host.players', { count: 0 }) }).waitFor({ timeout: 15000 });
      found.push(...(await violations(page, 'class lobby')));

      expect(found).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    });
  }
});
