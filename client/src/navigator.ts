// Which screen is up. The Menu and the class pages are DOM and show at once; the Table and the Result need the
// board (Phaser), a chunk of its own that is fetched the first time — usually already in the background while
// the player reads the Menu.
import { t } from '../../shared/i18n/index.ts';
import { bus, type ScreenKey } from './bus.ts';
import { ScreenLife } from './screenLife.ts';
import { store } from './store.ts';
import { enterMenu } from './ui/menuScreen.ts';
import { enterClass } from './class/classScreen.ts';
import { h } from './ui/h.ts';

type Board = typeof import('./board/game.ts');

let board: Board | null = null;
let boardLoading: Promise<Board> | null = null;
let life: ScreenLife | null = null;
/** counts screen changes: a board that finishes loading after the player moved on is not shown */
let changes = 0;

export function loadBoard(): Promise<Board> {
  boardLoading ??= import('./board/game.ts').then((m) => (board = m));
  return boardLoading;
}

/** Fetch the board's code and pictures while the browser has nothing better to do. */
export function preloadBoardWhenIdle(): void {
  const start = () => void loadBoard().then((m) => m.prepareBoard());
  const idle = (window as unknown as { requestIdleCallback?: (fn: () => void, o?: { timeout: number }) => void }).requestIdleCallback;
  const later = () => (idle ? idle(start, { timeout: 3000 }) : setTimeout(start, 500));
  if (document.readyState === 'complete') later();
  else addEventListener('load', later, { once: true });
}

export function goto(screen: ScreenKey): void {
  const mine = ++changes;
  life?.end();
  life = null;
  if (screen === 'Menu' || screen === 'Class') {
    board?.hideBoard();
    life = new ScreenLife();
    if (screen === 'Menu') enterMenu(life);
    else enterClass(life);
    return;
  }
  if (!board) {
    // the board is still on its way: say so where the controls will be
    document.getElementById('app')!.dataset.screen = 'loading';
    document.getElementById('ui')!.replaceChildren(h('p', { class: 'panel', role: 'status' }, t(store.state.lang, 'app.loading')));
  }
  void loadBoard()
    .then(async (m) => {
      await m.prepareBoard();
      if (mine === changes) m.showBoard(screen);
    });
}

export function startNavigator(): void {
  bus.on('screen:goto', ({ screen }) => goto(screen));
}
