// The two preferences every screen offers: the language switch and the skin select. They live apart from the
// screens so Learn mode's and the class's screens can show them without importing the game's screens.
import { LANGUAGES, t, type UiKey } from '../../../shared/i18n/index.ts';
import type { Skin } from '../bus.ts';
import { store } from '../store.ts';
import { h, uid } from './h.ts';
import { lang as L, tr } from './page.ts';

export function languageSwitch(): HTMLElement {
  const id = uid('lang');
  return h(
    'div',
    { class: 'switch', role: 'group', 'aria-labelledby': id },
    h('span', { id, class: 'switch-label' }, tr('lang.switch')),
    LANGUAGES.map((lang) =>
      h(
        'button',
        {
          type: 'button',
          class: 'toggle',
          lang,
          'aria-pressed': String(lang === L()),
          onclick: () => {
            if (lang !== L()) store.setPrefs({ lang });
          },
        },
        t(lang, `lang.${lang}` as UiKey),
      ),
    ),
  );
}

export function skinSelect(): HTMLElement {
  const id = uid('skin');
  const select = h(
    'select',
    {
      id,
      onchange: (ev: Event) => store.setPrefs({ skin: (ev.target as HTMLSelectElement).value as Skin }),
    },
    (['network', 'airport'] as const).map((skin) =>
      h('option', { value: skin, selected: skin === store.state.skin }, tr(`menu.skin.${skin}` as UiKey)),
    ),
  );
  return h('div', { class: 'field inline' }, h('label', { for: id }, tr('menu.skin')), select);
}