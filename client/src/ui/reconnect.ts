// While the connection is lost: a banner at the bottom of every screen that says so and counts down to the next
// try ("Reconnecting in 2 s…"), then "Reconnecting…" while the try is under way. It goes once the socket is
// back; the room, the class or the board come back by themselves (Connection rejoins by token).
import { t } from '../../../shared/i18n/index.ts';
import { bus } from '../bus.ts';
import { store } from '../store.ts';

export function mountReconnectBanner(): void {
  const banner = document.createElement('div');
  banner.className = 'reconnect-banner';
  banner.setAttribute('role', 'status');
  banner.hidden = true;
  document.body.append(banner);
  let everConnected = false;
  let lost = false;
  let nextTry: number | null = null;
  let ticker: ReturnType<typeof setInterval> | null = null;

  const render = () => {
    if (!lost) {
      banner.hidden = true;
      if (ticker) clearInterval(ticker);
      ticker = null;
      return;
    }
    banner.hidden = false;
    const seconds = nextTry === null ? 0 : Math.max(0, Math.ceil((nextTry - Date.now()) / 1000));
    banner.textContent = seconds > 0 ? t(store.state.lang, 'net.lost.retryIn', { seconds }) : t(store.state.lang, 'net.lost.trying');
    ticker ??= setInterval(render, 250);
  };

  bus.on('net:status', ({ status }) => {
    if (status === 'connected') everConnected = true;
    // only a connection that was there and went: the first one has the Menu's own status
    lost = everConnected && status !== 'connected';
    render();
  });
  bus.on('net:retry', ({ at }) => {
    nextTry = at;
    render();
  });
  bus.on('prefs:changed', () => render());
}
