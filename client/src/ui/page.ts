// What every DOM screen shares: the #ui root, the page's screen name and title, the current language's texts,
// and the error line each screen has.
import { t, type UiKey } from '../../../shared/i18n/index.ts';
import { store } from '../store.ts';
import { announce } from './live.ts';

export const root = (): HTMLElement => document.getElementById('ui')!;
export const lang = () => store.state.lang;
export const tr = (key: UiKey, params?: Record<string, string | number>): string => t(lang(), key, params);

/** Mark which screen the page shows (CSS and tests read #app[data-screen]) and title the page in its language. */
export function setScreen(name: string): void {
  document.getElementById('app')!.dataset.screen = name;
  document.title = `${tr('app.title')} · Handshake`;
  document.documentElement.lang = lang();
}

export function currentScreen(): string | undefined {
  return document.getElementById('app')?.dataset.screen;
}

/** Show (or hide, with '') the screen's error line, and say it in the assertive live region. */
export function showError(message: string): void {
  const box = document.querySelector<HTMLElement>('[data-role="error"]');
  if (box) {
    box.textContent = message;
    box.hidden = !message;
  }
  if (message) announce(message, true);
}
