// The Menu screen's life: draw the menu (or the level map while it is open), redraw it in another language or
// skin (keeping the focus on the control that changed it), and keep its connection note current.
import { listen } from '../bus.ts';
import type { ScreenLife } from '../screenLife.ts';
import { rememberMenuChoices, renderMenu, updateMenuNet } from './menu.ts';

export function enterMenu(life: ScreenLife): void {
  renderMenu();
  listen(life, 'prefs:changed', () => {
    const focusedLang = (document.activeElement as HTMLElement | null)?.getAttribute('lang');
    const focusedSkin = document.activeElement?.tagName === 'SELECT' && document.activeElement.id.startsWith('skin');
    // the player's choices so far stay chosen in the other language
    rememberMenuChoices();
    renderMenu();
    if (focusedLang) document.querySelector<HTMLElement>(`.switch [lang="${focusedLang}"]`)?.focus();
    if (focusedSkin) document.querySelector<HTMLElement>('select[id^="skin"]')?.focus();
  });
  listen(life, 'net:status', () => updateMenuNet());
}
