// The page: Phaser draws the board in #stage; the accessible controls live in #ui; the store and the one
// socket connection sit behind the bus.
import * as Phaser from 'phaser';
import { t } from '../../shared/i18n/index.ts';
import { bus, type ScreenKey } from './bus.ts';
import { Connection } from './net/connection.ts';
import { store } from './store.ts';
import { announce } from './ui/live.ts';
import { showProtocolErrors } from './ui/errors.ts';
import { Boot } from './scenes/Boot.ts';
import { Preloader } from './scenes/Preloader.ts';
import { Menu } from './scenes/Menu.ts';
import { Table } from './scenes/Table.ts';
import { Result } from './scenes/Result.ts';
import { ClassScene } from './class/ClassScene.ts';
import { attachClass } from './class/api.ts';
import { roleName } from './format.ts';

document.documentElement.lang = store.state.lang;

const connection = new Connection();
store.attach(connection);
attachClass(connection);

// The board is flat shapes and text: the Canvas renderer draws it well and costs a tenth of WebGL on machines
// without a GPU (school PCs, headless test browsers: a click went from ~400 ms to ~40 ms). ?renderer=webgl opts in.
const wanted = new URLSearchParams(location.search).get('renderer');
const game = new Phaser.Game({
  type: wanted === 'webgl' ? Phaser.WEBGL : Phaser.CANVAS,
  parent: 'stage',
  backgroundColor: '#0f1b2d',
  scale: { mode: Phaser.Scale.RESIZE, width: '100%', height: '100%' },
  render: { antialias: true },
  audio: { noAudio: true },
  // assets live at the site root; pages such as /r/CODE must not resolve them against their own path
  loader: { baseURL: location.origin + '/' },
  banner: false,
  scene: [Boot, Preloader, Menu, Table, Result, ClassScene],
});

function goto(screen: ScreenKey): void {
  const active = game.scene.getScenes(true)[0];
  if (active && active.scene.key === screen) {
    active.scene.restart();
    return;
  }
  if (active) active.scene.start(screen);
  else game.scene.start(screen);
}

bus.on('screen:goto', ({ screen }) => goto(screen));

bus.on('room:joined', (joined) => {
  const lang = store.state.lang;
  if (joined.role === 'spectator') announce(t(lang, 'announce.spectating', { code: joined.room.code }));
  else if (joined.seat) announce(t(lang, 'announce.joined', { code: joined.room.code, role: roleName(lang, store.state.skin, joined.seat) }));
  goto(joined.room.phase === 'finished' ? 'Result' : 'Table');
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

showProtocolErrors();
connection.start();

// for tests and debugging: how many listeners each bus event has (a leak shows as a growing count)
(window as unknown as { __handshake: unknown }).__handshake = { bus, store, game };
