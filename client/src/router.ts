// Which screen the page opens on: /r/CODE joins that room (?spectate=1 watches); anything else is the Menu.
import { bus } from './bus.ts';
import { store } from './store.ts';
import { classRoute } from './class/api.ts';

export function roomFromLocation(): { code: string; spectate: boolean } | null {
  const match = /^\/r\/([2-9A-Za-z]{6})\/?$/.exec(location.pathname);
  if (!match) return null;
  const spectate = new URLSearchParams(location.search).get('spectate') === '1';
  return { code: match[1]!.toUpperCase(), spectate };
}

export function route(): void {
  if (classRoute()) return; // /c/CODE, /host/CODE, or a class pair's room after a reload (client/src/class/)
  const target = roomFromLocation();
  bus.emit('screen:goto', { screen: 'Menu' });
  if (target) {
    void store.join(target.code, target.spectate).then((ok) => {
      if (!ok) history.replaceState(null, '', '/');
    });
  }
}
