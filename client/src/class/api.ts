// Classes and workshops, the client's side: what this page knows of a session (as host or as player), the
// verbs the class screens call, and the glue to the ordinary rooms each round's pairs play in. It speaks to
// the server only through Connection (classRequest / onClass); the private host key and player token live in
// localStorage, so a reload or a lost Wi-Fi gets the host's control or the player's seat back.
import type {
  ClassError,
  HostJoined,
  PlayerJoined,
  PlayerView,
  RoundSettings,
  SessionEvicted,
  SessionFeed,
  SessionMode,
  StartRoundRequest,
} from '../../../shared/protocol/class.ts';
import { pickLocalized, type UiKey } from '../../../shared/i18n/index.ts';
import { bus } from '../bus.ts';
import { saveSeatToken, type ClassResult, type Connection } from '../net/connection.ts';
import { store } from '../store.ts';
import { announce } from '../ui/live.ts';

const HOST_PREFIX = 'handshake.class.host.';
const PLAYER_PREFIX = 'handshake.class.player.';
/** the player's session and last room, so a reload on /r/ROOM finds its session again */
const CURRENT_KEY = 'handshake.class.current';
const CODE_RE = '[2-9A-HJKMNP-Za-hjkmnp-z]{6}';
/** how long a finished pair sees its result before going back to the lobby */
export const RESULT_PAUSE_MS = 3500;

export type ClassView = 'none' | 'loading' | 'host' | 'join' | 'player' | 'notice';

export interface ClassState {
  view: ClassView;
  /** 'viewer': the read-only projector page (/c/CODE/watch#VIEWKEY): the feed, no controls */
  role: 'host' | 'player' | 'viewer' | null;
  code: string | null;
  mode: SessionMode | null;
  host: { link: string; hostKey: string; viewKey: string } | null;
  feed: SessionFeed | null;
  you: PlayerView | null;
  /** a full-screen message (evicted, session gone) */
  notice: UiKey | null;
  /** the last error, already in the page's language */
  error: string | null;
  /** the player's pair finished this round (they wait for the others in the lobby) */
  pairDone: boolean;
}

export const classState: ClassState = {
  view: 'none',
  role: null,
  code: null,
  mode: null,
  host: null,
  feed: null,
  you: null,
  notice: null,
  error: null,
  pairDone: false,
};

type Change = 'feed' | 'you' | 'view' | 'error';
const listeners = new Set<(change: Change) => void>();

/** Hear what changed; returns the unsubscribe function (the class scene calls it on shutdown). */
export function onClassChange(fn: (change: Change) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

function changed(change: Change): void {
  for (const fn of [...listeners]) {
    try {
      fn(change);
    } catch (err) {
      console.warn('class listener failed', err);
    }
  }
}

let conn: Connection | null = null;
const c = (): Connection => {
  if (!conn) throw new Error('class used before the connection was attached');
  return conn;
};

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}
function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode: kept only while the page lives */
  }
}

function hostKeys(code: string): { hostKey: string; viewKey: string } | null {
  try {
    const saved = JSON.parse(read(HOST_PREFIX + code) ?? 'null');
    return saved && typeof saved.hostKey === 'string' ? saved : null;
  } catch {
    return null;
  }
}

function current(): { code: string; room: string | null } | null {
  try {
    const saved = JSON.parse(read(CURRENT_KEY) ?? 'null');
    return saved && typeof saved.code === 'string' ? saved : null;
  } catch {
    return null;
  }
}

function showClass(view: ClassView): void {
  classState.view = view;
  changed('view');
  if (store.state.room) return; // a player in their pair's room stays on the table
  bus.emit('screen:goto', { screen: 'Class' });
}

function fail(error: ClassError): void {
  classState.error = pickLocalized(error.message, store.state.lang);
  announce(classState.error, true);
  changed('error');
}

export function clearError(): void {
  if (classState.error === null) return;
  classState.error = null;
  changed('error');
}

function setUrl(path: string): void {
  if (location.pathname + location.search !== path) history.replaceState(null, '', path);
}

// ------------------------------------------------------------------ host

function becomeHost(reply: HostJoined): void {
  classState.role = 'host';
  classState.code = reply.code;
  classState.mode = reply.feed.mode;
  classState.host = { link: reply.link, hostKey: reply.hostKey, viewKey: reply.viewKey };
  classState.feed = reply.feed;
  classState.notice = null;
  classState.error = null;
  write(HOST_PREFIX + reply.code, JSON.stringify({ hostKey: reply.hostKey, viewKey: reply.viewKey }));
  setUrl(`/host/${reply.code}`);
  showClass('host');
}

export async function hostNew(mode: SessionMode): Promise<boolean> {
  const reply = await c().classRequest<HostJoined>('class:create', { mode });
  if (!reply.ok) {
    fail(reply.error);
    bus.emit('error', { error: { code: 'INTERNAL', message: reply.error.message } });
    return false;
  }
  becomeHost(reply);
  return true;
}

async function hostAgain(code: string): Promise<void> {
  const keys = hostKeys(code);
  // another browser (or profile) than the host's: it never had the key, whether or not the session runs
  if (!keys) return notice('class.host.noKey');
  const reply = await c().classRequest<HostJoined>('class:host', { code, hostKey: keys.hostKey });
  if (reply.ok) return becomeHost(reply);
  if (reply.error.code === 'UNKNOWN_SESSION' || reply.error.code === 'BAD_HOST_KEY') write(HOST_PREFIX + code, null);
  notice(reply.error.code === 'BAD_HOST_KEY' ? 'class.host.noKey' : 'class.host.lost');
}

async function hostDo<T>(event: Parameters<Connection['classRequest']>[0], payload: object): Promise<ClassResult<T>> {
  const reply = await c().classRequest<T>(event, { code: classState.code, ...payload });
  if (!reply.ok) fail(reply.error);
  else clearError();
  return reply;
}

export const host = {
  rename: (playerId: string, nickname: string) => hostDo<object>('class:rename', { playerId, nickname }),
  remove: (playerId: string) => hostDo<object>('class:remove', { playerId }),
  lock: (locked: boolean) => hostDo<object>('class:lock', { locked }),
  start: (settings: Omit<StartRoundRequest, 'code'>) => hostDo<{ settings: RoundSettings }>('class:start', settings),
  stop: () => hostDo<object>('class:stop', {}),
  end: () => hostDo<object>('class:end', {}),
  /** A one-time download link for the results: the host key itself never goes into a URL (or a server log). */
  csvUrl: async (): Promise<string | null> => {
    if (!classState.code || !classState.host) return null;
    const reply = await hostDo<{ token: string; expiresAt: number }>('class:csvToken', {});
    return reply.ok ? `/c/${classState.code}/results.csv?token=${encodeURIComponent(reply.token)}` : null;
  },
  /** the read-only projector page; the view key rides in the fragment, which the browser never sends to the server */
  projectorUrl: () => (classState.code && classState.host ? `/c/${classState.code}/watch#${encodeURIComponent(classState.host.viewKey)}` : ''),
};

// ------------------------------------------------------------------ projector (read-only)

let viewKey: string | null = null;

async function watchAgain(code: string): Promise<void> {
  if (!viewKey) return notice('class.view.lost');
  const reply = await c().classRequest<{ feed: SessionFeed }>('class:watch', { code, viewKey });
  if (!reply.ok) return notice('class.view.lost');
  classState.role = 'viewer';
  classState.code = code;
  classState.mode = reply.feed.mode;
  classState.feed = reply.feed;
  classState.notice = null;
  classState.error = null;
  showClass('host');
}

// ------------------------------------------------------------------ player

function becomePlayer(token: string, you: PlayerView): void {
  classState.role = 'player';
  classState.code = you.code;
  classState.mode = you.mode;
  classState.notice = null;
  classState.error = null;
  write(PLAYER_PREFIX + you.code, token);
  write(CURRENT_KEY, JSON.stringify({ code: you.code, room: current()?.code === you.code ? current()?.room ?? null : null }));
  onYou(you);
}

export async function joinAs(code: string, nickname: string): Promise<boolean> {
  const reply = await c().classRequest<PlayerJoined>('class:join', { code, nickname });
  if (!reply.ok) {
    fail(reply.error);
    return false;
  }
  becomePlayer(reply.playerToken, reply.you);
  return true;
}

async function playerAgain(code: string): Promise<void> {
  const token = read(PLAYER_PREFIX + code);
  if (!token) return askNickname(code);
  const reply = await c().classRequest<PlayerJoined>('class:join', { code, playerToken: token });
  if (reply.ok) return becomePlayer(reply.playerToken ?? token, reply.you);
  if (reply.error.code === 'BAD_PLAYER_TOKEN') {
    write(PLAYER_PREFIX + code, null);
    return askNickname(code);
  }
  if (reply.error.code === 'UNKNOWN_SESSION' || reply.error.code === 'SESSION_ENDED') {
    write(PLAYER_PREFIX + code, null);
    return notice('class.player.expired');
  }
  fail(reply.error);
  askNickname(code);
}

function askNickname(code: string): void {
  classState.role = null;
  classState.code = code;
  classState.you = null;
  setUrl(`/c/${code}`);
  showClass('join');
}

/** In a class room: forget it (the session says where to go next) and come back to the lobby. */
export async function backToLobby(): Promise<void> {
  if (store.state.room) await store.leaveRoom();
  if (classState.code) setUrl(`/c/${classState.code}`);
  classState.view = 'player';
  changed('view');
  bus.emit('screen:goto', { screen: 'Class' });
}

let pauseTimer: ReturnType<typeof setTimeout> | null = null;

function onYou(you: PlayerView): void {
  const before = classState.you;
  classState.you = you;
  const a = you.assignment;
  if (you.phase === 'playing' && a) {
    if (before?.round !== you.round) classState.pairDone = false;
    if (store.state.room?.code === a.room) return changed('you');
    if (classState.pairDone) return changed('you');
    saveSeatToken(a.room, a.seatToken);
    write(CURRENT_KEY, JSON.stringify({ code: you.code, room: a.room }));
    classState.view = 'player';
    changed('you');
    void store.join(a.room).then((ok) => {
      if (!ok) void backToLobby();
    });
    return;
  }
  if (you.phase !== 'playing') classState.pairDone = false;
  if (store.state.room && inClassRoom()) {
    if (pauseTimer) clearTimeout(pauseTimer);
    pauseTimer = null;
    void backToLobby();
    return;
  }
  if (classState.view !== 'player') showClass('player');
  else changed('you');
}

/** True when the room on screen is this player's pair's room of the session. */
export function inClassRoom(): boolean {
  const room = store.state.room;
  return !!room && classState.role === 'player' && current()?.room === room.code;
}

export async function leaveSession(): Promise<void> {
  const code = classState.code;
  if (code) await c().classRequest<object>('class:leave', { code });
  if (code) write(PLAYER_PREFIX + code, null);
  write(CURRENT_KEY, null);
  reset();
  history.replaceState(null, '', '/');
  bus.emit('screen:goto', { screen: 'Menu' });
}

// ------------------------------------------------------------------ shared

function notice(key: UiKey): void {
  classState.notice = key;
  showClass('notice');
}

export function reset(): void {
  Object.assign(classState, { view: 'none', role: null, code: null, mode: null, host: null, feed: null, you: null, notice: null, error: null, pairDone: false });
}

function onEvicted(evicted: SessionEvicted): void {
  if (evicted.code !== classState.code) return;
  const key: UiKey =
    classState.role === 'host' || classState.role === 'viewer'
      ? evicted.reason === 'taken-over'
        ? 'class.host.takenOver'
        : 'class.host.lost'
      : evicted.reason === 'removed'
        ? 'class.player.removed'
        : evicted.reason === 'taken-over'
          ? 'class.player.takenOver'
          : 'class.player.expired';
  if (classState.role === 'player' && evicted.reason !== 'taken-over') {
    write(PLAYER_PREFIX + evicted.code, null);
    write(CURRENT_KEY, null);
  }
  classState.role = null;
  if (store.state.room && inClassRoom()) void store.leaveRoom();
  notice(key);
}

/** Called once by main.ts: hear the session's pushes, and restore the session after a reconnect. */
export function attachClass(connection: Connection): void {
  conn = connection;
  connection.onClass('class:feed', (feed) => {
    if ((classState.role !== 'host' && classState.role !== 'viewer') || feed.code !== classState.code) return;
    classState.feed = feed;
    changed('feed');
  });
  connection.onClass('class:you', (you) => {
    if (classState.role !== 'player' || you.code !== classState.code) return;
    onYou(you);
  });
  connection.onClass('class:evicted', onEvicted);
  let everConnected = false;
  bus.on('net:status', ({ status }) => {
    if (status !== 'connected') return;
    if (everConnected && classState.code) {
      if (classState.role === 'host') void hostAgain(classState.code);
      else if (classState.role === 'viewer') void watchAgain(classState.code);
      else if (classState.role === 'player') void playerAgain(classState.code);
    }
    everConnected = true;
  });
  // a pair that finished sees its result a moment, then waits for the others in the lobby
  bus.on('room:update', ({ room }) => {
    if (room.phase !== 'finished' || !inClassRoom() || pauseTimer) return;
    pauseTimer = setTimeout(() => {
      pauseTimer = null;
      if (!inClassRoom() || store.state.room?.phase !== 'finished') return;
      classState.pairDone = true;
      void backToLobby();
    }, RESULT_PAUSE_MS);
  });
  // the round's room was closed under us (the next round started while we were away): to the lobby
  bus.on('room:evicted', (evicted) => {
    if (classState.role !== 'player' || current()?.room !== evicted.code) return;
    setTimeout(() => {
      if (classState.role === 'player' && !store.state.room) void backToLobby();
    }, 120);
  });
}

/** Called by the router before anything else: true when the page is a class page (or a class pair's room). */
export function classRoute(): boolean {
  const path = location.pathname;
  const hostMatch = new RegExp(`^/host/(${CODE_RE})/?$`).exec(path);
  if (hostMatch) {
    const code = hostMatch[1]!.toUpperCase();
    classState.code = code;
    showClass('loading');
    void hostAgain(code);
    return true;
  }
  const watchMatch = new RegExp(`^/c/(${CODE_RE})/watch/?$`).exec(path);
  if (watchMatch) {
    const code = watchMatch[1]!.toUpperCase();
    classState.code = code;
    try {
      viewKey = decodeURIComponent(location.hash.slice(1)) || null;
    } catch {
      viewKey = null;
    }
    showClass('loading');
    void watchAgain(code);
    return true;
  }
  const joinMatch = new RegExp(`^/c/(${CODE_RE})/?$`).exec(path);
  if (joinMatch) {
    const code = joinMatch[1]!.toUpperCase();
    classState.code = code;
    if (read(PLAYER_PREFIX + code)) {
      showClass('loading');
      void playerAgain(code);
    } else askNickname(code);
    return true;
  }
  const roomMatch = new RegExp(`^/r/(${CODE_RE})/?$`).exec(path);
  const saved = current();
  if (roomMatch && saved && saved.room === roomMatch[1]!.toUpperCase() && read(PLAYER_PREFIX + saved.code) && !location.search.includes('spectate')) {
    classState.code = saved.code;
    showClass('loading');
    void playerAgain(saved.code);
    return true;
  }
  return false;
}
