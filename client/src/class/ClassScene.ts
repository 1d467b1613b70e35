import * as Phaser from 'phaser';
import { t } from '../../../shared/i18n/index.ts';
import { listen } from '../bus.ts';
import { store } from '../store.ts';
import { h } from '../ui/h.ts';
import { onClassChange } from './api.ts';

type ClassScreens = typeof import('./screens.ts');

// The class screens (and what they need: the level data for the host's mission list, the round limits, their
// stylesheet) are a chunk of their own, fetched the first time a class page is shown, as Learn mode's are.
let screens: ClassScreens | null = null;
let loading: Promise<ClassScreens> | null = null;

export function loadClassScreens(): Promise<ClassScreens> {
  loading ??= import('./screens.ts').then((m) => (screens = m));
  return loading;
}

/** The class screens (host's projector, player's lobby): all in the DOM layer; the canvas is a plain backdrop. */
export class ClassScene extends Phaser.Scene {
  constructor() {
    super('Class');
  }

  create(): void {
    this.cameras.main.setBackgroundColor('#0f1b2d');
    let alive = true;
    const off = onClassChange((change) => screens?.updateClass(change));
    const stop = () => {
      alive = false;
      off();
    };
    this.events.once('shutdown', stop);
    this.events.once('destroy', stop);
    listen(this, 'prefs:changed', () => screens?.renderClass());
    this.time.addEvent({ delay: 1000, loop: true, callback: () => screens?.tickClock() });
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
}
