// The class pages' life (host's projector, player's lobby): all DOM. The class screens (and what they need:
// the level data for the host's mission list, the round limits, their stylesheet) are a chunk of their own,
// fetched the first time a class page is shown, as Learn mode's are.
import { t } from '../../../shared/i18n/index.ts';
import { listen } from '../bus.ts';
import type { ScreenLife } from '../screenLife.ts';
import { store } from '../store.ts';
import { h } from '../ui/h.ts';
import { onClassChange } from './api.ts';

type ClassScreens = typeof import('./screens.ts');

let screens: ClassScreens | null = null;
let loading: Promise<ClassScreens> | null = null;

export function loadClassScreens(): Promise<ClassScreens> {
  loading ??= import('./screens.ts').then((m) => (screens = m));
  return loading;
}

export function enterClass(life: ScreenLife): void {
  let alive = true;
  life.onEnd(() => (alive = false));
  life.onEnd(onClassChange((change) => screens?.updateClass(change)));
  listen(life, 'prefs:changed', () => screens?.renderClass());
  // the round's clock and the pairs' "seconds ago" count on
  const clock = setInterval(() => screens?.tickClock(), 1000);
  life.onEnd(() => clearInterval(clock));
  if (screens) {
    screens.renderClass();
    return;
  }
  const app = document.getElementById('app')!;
  app.dataset.screen = 'class';
  document.getElementById('ui')!.replaceChildren(h('p', { class: 'panel', role: 'status' }, t(store.state.lang, 'app.loading')));
  void loadClassScreens().then((m) => {
    if (alive) m.renderClass();
  });
}
