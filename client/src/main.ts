// The page: the DOM layer (#ui) shows the Menu, the class pages and the level map at once; Phaser draws the
// board in #stage and loads only when a board is needed (or in the background meanwhile). The store and the
// one socket connection sit behind the bus.
import { t } from '../../shared/i18n/index.ts';
import { bus } from './bus.ts';
import { Connection } from './net/connection.ts';
import { store } from './store.ts';
import { announce, clearLiveLog } from './ui/live.ts';
import { mountReconnectBanner } from './ui/reconnect.ts';
import { showProtocolErrors } from './ui/errors.ts';
import { attachClass } from './class/api.ts';
import { roleName } from './format.ts';
import { goto, preloadBoardWhenIdle, startNavigator } from './navigator.ts';
import { route } from './router.ts';

document.documentElement.lang = store.state.lang;
// for tests and debugging: the bus (how many listeners each event has: a leak shows as a growing count), the
// store, and the board's Phaser game once it is loaded
(window as unknown as { __handshake: Record<string, unknown> }).__handshake = { bus, store };

const connection = new Connection();
store.attach(connection);
attachClass(connection);
startNavigator();
showProtocolErrors();
mountReconnectBanner();

bus.on('room:joined', (joined) => {
  const lang = store.state.lang;
  if (joined.role === 'spectator') announce(t(lang, 'announce.spectating', { code: joined.room.code }));
  else if (joined.seat) announce(t(lang, 'announce.joined', { code: joined.room.code, role: roleName(lang, store.state.skin, joined.seat) }));
  goto(joined.room.phase === 'finished' ? 'Result' : 'Table');
});

// the live log's lines are in the language they were said in: a new language starts it afresh
let spokenLang = store.state.lang;
bus.on('prefs:changed', ({ lang }) => {
  if (lang === spokenLang) return;
  spokenLang = lang;
  clearLiveLog();
});

bus.on('announce', ({ text, assertive }) => {
  if (text === '__reconnected__') announce(t(store.state.lang, 'announce.reconnected'));
  else announce(text, assertive);
});

let wasConnected = false;
bus.on('net:status', ({ status }) => {
  if (status === 'disconnected' && wasConnected) announce(t(store.state.lang, 'announce.disconnected'), true);
  wasConnected = status === 'connected';
});

connection.start();
route();
preloadBoardWhenIdle();
