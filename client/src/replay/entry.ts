// The replay's hooks into the Menu. This file is small and loads with the page; the replay screen itself
// (./screen.ts) is a chunk of its own, fetched the first time it is opened, and the judge runs in a Worker.
//   renderMenu → renderReplay() (the replay screen replaces the menu while it is open) and replayMenuEntry()
import { t } from '../../../shared/i18n/index.ts';
import { store } from '../store.ts';
import { h } from '../ui/h.ts';
import { openReplay, replayShown } from './replayState.ts';

type ReplayScreen = typeof import('./screen.ts');
let mod: ReplayScreen | null = null;
let loading: Promise<ReplayScreen> | null = null;

function loadReplay(): Promise<ReplayScreen> {
  loading ??= import('./screen.ts').then((m) => (mod = m));
  return loading;
}

/**
 * Open the replay screen on a capture already in hand (a finished game's own capture, from the Result): it is
 * judged as soon as the screen shows, which is when the Menu draws next.
 */
export function openReplayWith(bytes: ArrayBuffer, name: string): void {
  openReplay();
  void loadReplay().then((m) => m.useCapture(bytes, name));
}

/** Menu hook: draw the replay screen instead of the menu while it is open. True when it did. */
export function renderReplay(rerenderMenu: () => void): boolean {
  if (!replayShown()) return false;
  if (mod) {
    mod.renderReplayScreen(rerenderMenu);
    return true;
  }
  document.getElementById('ui')!.replaceChildren(h('p', { class: 'panel', role: 'status' }, t(store.state.lang, 'app.loading')));
  void loadReplay().then((m) => {
    if (replayShown()) m.renderReplayScreen(rerenderMenu);
  });
  return true;
}

/** Menu hook: the button that opens the replay screen. */
export function replayMenuEntry(rerenderMenu: () => void): HTMLElement {
  const lang = store.state.lang;
  const noteId = 'replay-entry-note';
  return h(
    'div',
    { class: 'replay-entry', style: 'margin: 10px 0 14px;' },
    h(
      'button',
      {
        type: 'button',
        class: 'replay-open',
        'aria-describedby': noteId,
        onmouseenter: () => void loadReplay(),
        onfocus: () => void loadReplay(),
        onclick: () => {
          openReplay();
          rerenderMenu();
        },
      },
      t(lang, 'replay.menu'),
    ),
    h('p', { id: noteId, class: 'small', style: 'margin: 6px 0 0;' }, t(lang, 'replay.menuNote')),
  );
}
