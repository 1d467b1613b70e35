// The Menu's entry to classes and workshops: choose the kind of session, host it (no account needed).
import type { SessionMode } from '../../../shared/protocol/class.ts';
import { t, type UiKey } from '../../../shared/i18n/index.ts';
import { store } from '../store.ts';
import { h, uid } from '../ui/h.ts';
import { hostNew } from './api.ts';
import { loadClassScreens } from './classScreen.ts';

export function classMenuSection(): HTMLElement {
  const tr = (key: UiKey) => t(store.state.lang, key);
  const id = uid('class-mode');
  const select = h(
    'select',
    { id },
    (['class', 'workshop'] as SessionMode[]).map((m) => h('option', { value: m }, tr(`class.mode.${m}` as UiKey))),
  ) as HTMLSelectElement;
  return h(
    'section',
    { class: 'class-entry', 'aria-labelledby': `${id}-title` },
    h('h2', { id: `${id}-title` }, tr('class.menu.heading')),
    h('p', { class: 'small' }, tr('class.menu.text')),
    h(
      'div',
      { class: 'join-row' },
      h('div', { class: 'field' }, h('label', { for: id }, tr('class.menu.mode')), select),
      h(
        'button',
        {
          type: 'button',
          // the class screens are a chunk of their own: fetch it while the host is about to click
          onmouseenter: () => void loadClassScreens(),
          onfocus: () => void loadClassScreens(),
          onclick: async (ev: Event) => {
            const button = ev.currentTarget as HTMLButtonElement;
            button.disabled = true;
            if (!(await hostNew(select.value as SessionMode))) button.disabled = false;
          },
        },
        tr('class.menu.host'),
      ),
    ),
  );
}
