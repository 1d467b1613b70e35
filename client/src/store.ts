// The client store: what the page knows (preferences, our seat, the last verdict) and the verbs the scenes and
// the DOM layer call. It talks to the socket only through Connection and tells everyone else what changed
// through the bus. The room itself (and its version) is Connection's: `state.room` reads it from there.
import type { Card, Difficulty, Happening, MissionId, Refusal, RefusalCode, Seat } from '../../shared/game/types.ts';
import type { Reaction, TcpProfile } from '../../shared/tcp/types.ts';
import type { JoinedRoom, ProtocolError, RoomView, SeatPresence } from '../../shared/protocol/events.ts';
import { languageFrom, type Language } from '../../shared/i18n/index.ts';
import { parseCard } from '../../shared/game/referee.ts';
import { bus, type Skin } from './bus.ts';
import { NETWORKS, type NetworkName } from './format.ts';
import type { Connection } from './net/connection.ts';
import { embedded } from './embed.ts';

const PREFS_KEY = 'handshake.prefs';

export interface GameSetup {
  mission: MissionId;
  difficulty: Difficulty;
  botLevel: 'correct' | 'erring';
  seat: Seat;
  /** the network's faults, by the Menu's names (none: the server's default, a reliable network; a level's own
   * network script still applies) */
  network?: NetworkName;
  /** whose choices the reference TCP makes (none: rfc) */
  profile?: TcpProfile;
  nickname?: string;
}

export interface StoreState {
  lang: Language;
  skin: Skin;
  net: 'connecting' | 'connected' | 'disconnected';
  role: 'player' | 'spectator' | null;
  seat: Seat | null;
  /** the room as Connection last applied it (read-only here: Connection is its one owner) */
  readonly room: RoomView | null;
  presence: { seats: Record<Seat, SeatPresence>; spectators: number } | null;
  pending: boolean;
  lastRefusal: Refusal | null;
  lastHint: { hint: Card | null } | null;
  /** one explanation per refusal code seen in this game, for the Result screen */
  refusalsSeen: Partial<Record<RefusalCode, Refusal>>;
  setup: GameSetup;
}

function loadPrefs(): { lang: Language; skin: Skin } {
  let saved: Partial<{ lang: Language; skin: Skin }> = {};
  try {
    saved = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}');
  } catch {
    /* ignore */
  }
  const lang: Language = saved.lang === 'en' || saved.lang === 'zh-CN' ? saved.lang : languageFrom(navigator.language);
  const skin: Skin = saved.skin === 'airport' ? 'airport' : 'network';
  return { lang, skin };
}

export class Store {
  readonly state: StoreState;
  private conn: Connection | null = null;
  /** the game the verdicts and hints belong to: a new room or a new round of it starts afresh */
  private game: { code: string; round: number } | null = null;

  constructor() {
    const prefs = loadPrefs();
    const conn = () => this.conn;
    this.state = {
      ...prefs,
      net: 'connecting',
      role: null,
      seat: null,
      get room() {
        return conn()?.room ?? null;
      },
      presence: null,
      pending: false,
      lastRefusal: null,
      lastHint: null,
      refusalsSeen: {},
      setup: { mission: 'open-send-close', difficulty: 'normal', botLevel: 'correct', seat: 'A', network: 'reliable' },
    };
    bus.on('net:status', ({ status }) => (this.state.net = status));
    bus.on('room:joined', (joined) => this.onJoined(joined));
    bus.on('room:update', ({ room }) => {
      this.setPresence({ seats: room.seats, spectators: room.spectators });
      this.followGame(room);
    });
    bus.on('room:you', (you) => {
      this.state.role = you.role;
      this.state.seat = you.seat;
    });
    bus.on('room:evicted', () => {
      this.state.role = null;
      this.state.seat = null;
      history.replaceState(null, '', '/');
      bus.emit('screen:goto', { screen: 'Menu' });
    });
    bus.on('room:presence', (presence) => {
      this.setPresence({ seats: presence.seats, spectators: presence.spectators });
    });
  }

  attach(conn: Connection): void {
    this.conn = conn;
  }

  private get c(): Connection {
    if (!this.conn) throw new Error('store used before the connection was attached');
    return this.conn;
  }

  /** New seats for the room we are in: a human who left and was replaced by a bot is news to the other player. */
  private setPresence(next: NonNullable<StoreState['presence']>): void {
    const before = this.state.presence;
    this.state.presence = next;
    if (!before) return;
    for (const seat of ['A', 'B'] as Seat[]) {
      if (seat === this.state.seat) continue;
      if (before.seats[seat].kind === 'human' && next.seats[seat].kind === 'bot') bus.emit('seat:botTookOver', { seat, nickname: before.seats[seat].nickname });
    }
  }

  /** A verdict, a hint or a mistake's explanation belongs to one game: forget them when another one starts. */
  private followGame(room: RoomView): void {
    if (this.game && this.game.code === room.code && this.game.round === room.round) return;
    this.game = { code: room.code, round: room.round };
    this.resetRound();
  }

  private resetRound(): void {
    this.state.lastRefusal = null;
    this.state.lastHint = null;
    this.state.refusalsSeen = {};
  }

  private onJoined(joined: JoinedRoom): void {
    this.state.role = joined.role;
    this.state.seat = joined.seat;
    this.state.presence = { seats: joined.room.seats, spectators: joined.room.spectators };
    if (joined.room.skin !== this.state.skin) this.setPrefs({ skin: joined.room.skin });
    this.followGame(joined.room);
    const path = `/r/${joined.room.code}${joined.role === 'spectator' ? `?spectate=1${embedded ? '&embed=1' : ''}` : ''}`;
    if (location.pathname + location.search !== path) history.replaceState(null, '', path);
  }

  setPrefs(prefs: Partial<{ lang: Language; skin: Skin }>): void {
    if (prefs.lang) this.state.lang = prefs.lang;
    if (prefs.skin) this.state.skin = prefs.skin;
    // a page framed by the class host's view follows the room's skin without saving it over the host's choice
    if (!embedded) {
      try {
        localStorage.setItem(PREFS_KEY, JSON.stringify({ lang: this.state.lang, skin: this.state.skin }));
      } catch {
        /* ignore */
      }
    }
    document.documentElement.lang = this.state.lang;
    bus.emit('prefs:changed', { lang: this.state.lang, skin: this.state.skin });
  }

  private fail(error: ProtocolError): void {
    bus.emit('error', { error });
  }

  startBot(setup: GameSetup): Promise<boolean> {
    return this.createRoom('bot', setup);
  }

  createDuel(setup: GameSetup): Promise<boolean> {
    return this.createRoom('duel', setup);
  }

  private async createRoom(mode: 'bot' | 'duel', setup: GameSetup): Promise<boolean> {
    this.state.setup = setup;
    const reply = await this.c.create({
      mode,
      // only a bot room has a bot, and so a bot level
      ...(mode === 'bot' ? { botLevel: setup.botLevel } : {}),
      mission: setup.mission,
      difficulty: setup.difficulty,
      ...(setup.profile ? { profile: setup.profile } : {}),
      ...(setup.network ? { faults: { ...NETWORKS[setup.network] } } : {}),
      skin: this.state.skin,
      language: this.state.lang,
      seat: setup.seat,
      ...(setup.nickname ? { nickname: setup.nickname } : {}),
    });
    if (!reply.ok) this.fail(reply.error);
    return reply.ok;
  }

  async join(code: string, spectate = false, nickname?: string): Promise<boolean> {
    const reply = await this.c.join(code, { spectate, ...(nickname ? { nickname } : {}) });
    if (!reply.ok) this.fail(reply.error);
    return reply.ok;
  }

  async play(card: Card): Promise<boolean> {
    if (this.state.pending) return false;
    this.state.pending = true;
    bus.emit('card:pending', { pending: true });
    // a malformed segment card (an ACK number without the ACK flag, ...) is explained at once, before the round
    // trip; the card still goes to the server, whose verdict is final (and counts the mistake)
    const early = card.kind === 'segment' ? parseCard(card) : null;
    if (early && !early.ok) {
      this.state.lastRefusal = early.refusal;
      bus.emit('card:refused', { refusal: early.refusal, card, early: true });
    }
    try {
      const reply = await this.c.play(card);
      if (reply.ok) {
        const sentAnyway = this.sentAnyway(reply.happenings);
        if (sentAnyway) {
          this.state.lastRefusal = sentAnyway.refusal;
          this.state.refusalsSeen[sentAnyway.refusal.code] ??= sentAnyway.refusal;
          bus.emit('card:sentAnyway', { ...sentAnyway, card });
          return true;
        }
        this.state.lastRefusal = null;
        const warning = reply.happenings.find((h) => h.type === 'warning' && h.end === this.state.seat);
        bus.emit('card:accepted', { card, version: reply.version, ...(warning?.type === 'warning' ? { warning: warning.explanation } : {}) });
        return true;
      }
      if (reply.error.code === 'REFUSED' && reply.error.refusal) {
        const refusal = reply.error.refusal;
        this.state.lastRefusal = refusal;
        this.state.refusalsSeen[refusal.code] ??= refusal;
        bus.emit('card:refused', { refusal, card, confirmed: !!early && !early.ok && early.refusal.code === refusal.code });
      } else {
        this.fail(reply.error);
      }
      return false;
    } finally {
      this.state.pending = false;
      bus.emit('card:pending', { pending: false });
    }
  }

  /** Hard mode: our card was refused and sent anyway — the refusal, and what the other end's TCP did with it. */
  private sentAnyway(happenings: Happening[]): { refusal: Refusal; reaction: Reaction | null } | null {
    const seat = this.state.seat;
    const index = happenings.findIndex((h) => h.type === 'refused' && h.end === seat);
    if (index < 0) return null;
    const { type: _type, end: _end, ...refusal } = happenings[index] as Extract<Happening, { type: 'refused' }>;
    const sent = happenings.slice(index).find((h) => h.type === 'sent');
    const delivered = sent?.type === 'sent' ? happenings.find((h) => h.type === 'delivered' && h.segment.id === sent.segment.id) : undefined;
    return { refusal, reaction: delivered?.type === 'delivered' ? delivered.reaction : null };
  }

  async askHint(): Promise<void> {
    const reply = await this.c.hint();
    if (!reply.ok) return this.fail(reply.error);
    this.state.lastHint = { hint: reply.hint };
    bus.emit('hint:shown', { hint: reply.hint });
  }

  async answerQuiz(state: string, auto = false): Promise<void> {
    const reply = await this.c.quiz(state);
    if (!reply.ok) return this.fail(reply.error);
    bus.emit('quiz:result', { correct: reply.correct, state: reply.state, auto });
  }

  async rematch(): Promise<void> {
    const reply = await this.c.rematch();
    if (!reply.ok) return this.fail(reply.error);
    // seats swap on a rematch: the server says who we are now ('room:you'); a resync makes sure
    await this.c.resync();
  }

  /** Leave the room and forget our seat in it, staying on the page (a class player goes back to the lobby). */
  async leaveRoom(): Promise<void> {
    await this.c.leave();
    this.state.role = null;
    this.state.seat = null;
    this.state.presence = null;
    this.game = null;
    this.resetRound();
  }

  /** Leave the room for the Menu. */
  async leave(): Promise<void> {
    await this.leaveRoom();
    history.replaceState(null, '', '/');
    bus.emit('screen:goto', { screen: 'Menu' });
  }
}

export const store = new Store();
