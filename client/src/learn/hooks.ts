// Learn mode's hooks into the shared screens. This file is small and loads with the page; everything else of
// Learn mode (the level files, the map, the level panels, their styles) is a chunk of its own, fetched the
// first time it is needed: opening the map, or a room that plays a level of the path.
//   renderMenu   → renderLearnMap() (the map replaces the menu while it is open) and learnMenuEntry()
//   renderTable  → learnTableSlot()  (mission, the level's hints, the pilot-and-tower dialogue)
//   renderResult → learnResultSlot() (stars, quiz cards, next / replay / level map)
import { hasKey, t, type Language } from '../../../shared/i18n/index.ts';
import { bus } from '../bus.ts';
import { store } from '../store.ts';
import { h } from '../ui/h.ts';
import { forgetLearnMap, learnMapShown, showLearnMap } from './mapState.ts';

export { learnMapShown, showLearnMap };

type LearnUi = typeof import('./ui.ts');

/** How many levels the path has: counted from shared/levels/path.ts when the client is built (client/vite.config.ts),
 * so the menu can say it without loading the levels themselves. */
declare const __PATH_LEVEL_COUNT__: number;

let mod: LearnUi | null = null;
let loading: Promise<LearnUi> | null = null;

export function loadLearn(): Promise<LearnUi> {
  loading ??= import('./ui.ts').then((m) => (mod = m));
  return loading;
}

/** A mission of the path (anything that is not one of the four built-in missions). */
export function isLevelMission(id: string | undefined | null): boolean {
  return !!id && !hasKey(`mission.${id}`);
}

/** The name of any mission: a built-in one's dictionary title, or a level's own title once Learn mode is loaded. */
export function missionName(lang: Language, id: string): string {
  const key = `mission.${id}`;
  if (hasKey(key)) return t(lang, key);
  return mod?.levelTitle(lang, id) ?? id;
}

/** Menu hook: draw the level map instead of the menu when it is open. True when it did. */
export function renderLearnMap(): boolean {
  if (!learnMapShown()) return false;
  if (location.pathname !== '/learn') history.replaceState(null, '', '/learn');
  if (mod) {
    mod.renderMap();
    return true;
  }
  const app = document.getElementById('app')!;
  app.dataset.screen = 'learn';
  document.getElementById('ui')!.replaceChildren(h('p', { class: 'panel', role: 'status' }, t(store.state.lang, 'app.loading')));
  void loadLearn().then((m) => {
    if (learnMapShown() && app.dataset.screen === 'learn') m.renderMap();
  });
  return true;
}

/** Menu hook: the button that opens the level map. */
export function learnMenuEntry(): HTMLElement {
  const lang = store.state.lang;
  const noteId = 'learn-entry-note';
  return h(
    'div',
    // styled inline: Learn mode's stylesheet comes with its chunk, after the menu is drawn
    { class: 'learn-entry', style: 'margin: 10px 0 14px; padding: 10px 12px; border: 1px dashed var(--line); border-radius: 12px;' },
    h(
      'button',
      {
        type: 'button',
        class: 'primary learn-open',
        style: 'width: 100%; font-size: 1.05rem;',
        'aria-describedby': noteId,
        onmouseenter: () => void loadLearn(),
        onfocus: () => void loadLearn(),
        onclick: () => {
          showLearnMap(true);
          renderLearnMap();
          document.querySelector<HTMLElement>('#learn-title')?.focus();
        },
      },
      t(lang, 'learn.menu'),
    ),
    h('p', { id: noteId, class: 'small', style: 'margin: 6px 0 0;' }, t(lang, 'learn.menuNote', { count: __PATH_LEVEL_COUNT__ })),
  );
}

function slot(kind: 'table' | 'result'): HTMLElement | null {
  const room = store.state.room;
  if (!room || !isLevelMission(room.game.options.mission)) return null;
  const el = h('div', { class: 'learn-slot', 'data-learn': kind });
  const fill = (m: LearnUi) => (kind === 'table' ? m.fillTable(el) : m.fillResult(el));
  if (mod) fill(mod);
  else
    void loadLearn().then((m) => {
      if (el.isConnected) fill(m);
    });
  return el;
}

/** Table hook: the level's panel (empty for a room that plays no level). */
export function learnTableSlot(): HTMLElement | null {
  return slot('table');
}

/** Result hook: the level's result (empty for a room that plays no level). */
export function learnResultSlot(): HTMLElement | null {
  return slot('result');
}

// the dialogue follows the segments as they are sent
bus.on('room:update', () => mod?.onRoomUpdate());
// a room of the path that is joined from its address (a reload) fetches Learn mode at once
bus.on('room:joined', ({ room }) => {
  forgetLearnMap(); // the map was open while the level's room was made; leaving the room goes to the menu
  if (isLevelMission(room.game.options.mission)) void loadLearn();
});
