// The one module that owns the socket. Everything else talks to it through its methods (which return the
// server's acknowledgement) and hears from it through the bus. It keeps each room's private seat token in
// localStorage, so a reload or a reconnect gets the same seat back, and it asks for a full resync when it
// sees a gap in the room's versions. Updates carry only the changed end of the game's timeline: it keeps the
// room it last applied and rebuilds the whole room before anyone else sees it. It is the one owner of the room
// (and so of its version): the store reads it from here (`room`), never keeps a copy of its own.
import { io, type Socket } from 'socket.io-client';
import type { Card } from '../../../shared/game/types.ts';
import type {
  Ack,
  ClientToServerEvents,
  CreateRoomRequest,
  JoinedRoom,
  ProtocolError,
  RoomUpdate,
  RoomUpdateMessage,
  CardPlayed,
  ResyncReply,
  RoomView,
  ServerToClientEvents,
} from '../../../shared/protocol/events.ts';
import type { ClassAck, ClassClientToServerEvents, ClassServerToClientEvents } from '../../../shared/protocol/class.ts';
import { applyTimelineChange } from '../../../shared/protocol/timelineDelta.ts';
import { bus } from '../bus.ts';

export type ClassResult<T> = ClassAck<T>;

type HandshakeSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const ACK_TIMEOUT_MS = 8000;
const TOKEN_PREFIX = 'handshake.seat.';

export type Result<T> = ({ ok: true } & T) | { ok: false; error: ProtocolError };

function timeoutError(): ProtocolError {
  return {
    code: 'INTERNAL',
    message: { en: 'The server did not answer in time. Try again.', zh: '服务器没有及时应答,请再试一次。' },
  };
}

export function loadSeatToken(code: string): string | null {
  try {
    return localStorage.getItem(TOKEN_PREFIX + code.toUpperCase());
  } catch {
    return null;
  }
}

export function saveSeatToken(code: string, token: string | null): void {
  try {
    if (token) localStorage.setItem(TOKEN_PREFIX + code.toUpperCase(), token);
  } catch {
    /* private mode: the seat is kept only while the page lives */
  }
}

export class Connection {
  private socket: HandshakeSocket;
  /** the room we are in, as last applied (its version and timeline are what the next update builds on), and
   * whether we watch it, to resync and rejoin */
  private current: { view: RoomView; spectate: boolean } | null = null;
  private resyncing = false;
  private everConnected = false;
  /** tries since the connection was lost, and the timer of the next one */
  private retries = 0;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(url?: string) {
    // reconnection is ours (scheduleRetry), not socket.io's: the page can then say when the next try is
    const opts = { transports: ['websocket', 'polling'], autoConnect: false, reconnection: false };
    this.socket = (url ? io(url, opts) : io(opts)) as HandshakeSocket;
    this.socket.on('connect', () => {
      this.retries = 0;
      if (this.retryTimer) clearTimeout(this.retryTimer);
      this.retryTimer = null;
      bus.emit('net:status', { status: 'connected' });
      if (this.everConnected && this.current) void this.rejoin();
      this.everConnected = true;
    });
    this.socket.on('disconnect', (reason) => {
      bus.emit('net:status', { status: 'disconnected' });
      // the server cut this socket off on purpose (a flood), or the page closed it: no retry
      if (reason !== 'io server disconnect' && reason !== 'io client disconnect') this.scheduleRetry();
    });
    this.socket.on('connect_error', () => {
      bus.emit('net:status', { status: 'disconnected' });
      this.scheduleRetry();
    });
    this.socket.on('room:update', (update) => this.onUpdate(update));
    this.socket.on('room:you', (you) => {
      if (this.current && you.code === this.current.view.code) bus.emit('room:you', you);
    });
    this.socket.on('room:evicted', (evicted) => {
      if (!this.current || evicted.code !== this.current.view.code) return;
      this.current = null; // do not fight the other tab for the seat
      bus.emit('room:evicted', evicted);
    });
    this.socket.on('room:presence', (presence) => {
      if (this.current && presence.code === this.current.view.code) bus.emit('room:presence', presence);
    });
  }

  start(): void {
    bus.emit('net:status', { status: 'connecting' });
    this.socket.connect();
  }

  /**
   * The next try to connect: 0.5 s after the loss, then 1 s, then every 1.5 s. A server that restarts is back
   * within a couple of seconds, and the players' boards should be back soon after; a wait of 3 s left them
   * blank for up to 6 s (bench:restart). Each wait is spread by ±25 % so a class of phones does not knock all
   * at the same instant; a try against a server that is down costs it nothing.
   */
  private scheduleRetry(): void {
    if (this.retryTimer) return;
    const wait = Math.min(500 * 2 ** this.retries, 1500) * (0.75 + Math.random() * 0.5);
    this.retries += 1;
    bus.emit('net:retry', { at: Date.now() + wait });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      bus.emit('net:retry', { at: null });
      this.socket.connect();
    }, wait);
  }

  get connected(): boolean {
    return this.socket.connected;
  }

  /** The room we are in, as of the last update applied; null outside a room. */
  get room(): RoomView | null {
    return this.current?.view ?? null;
  }

  /** Emit with an acknowledgement and a timeout; a timeout comes back as an error result, never a throw. */
  private request<E extends keyof ClientToServerEvents, T>(event: E, payload: unknown): Promise<Result<T>> {
    return new Promise((resolve) => {
      const emitter = this.socket.timeout(ACK_TIMEOUT_MS) as unknown as {
        emit(e: string, p: unknown, cb: (err: Error | null, reply: Ack<T>) => void): void;
      };
      emitter.emit(event, payload, (err, reply) => {
        if (err || !reply) resolve({ ok: false, error: timeoutError() });
        else resolve(reply as Result<T>);
      });
    });
  }

  /** The class/workshop events (client/src/class/api.ts) share this socket: a request with the same timeout… */
  classRequest<T>(event: keyof ClassClientToServerEvents, payload: unknown): Promise<ClassResult<T>> {
    return this.request(event as keyof ClientToServerEvents, payload) as unknown as Promise<ClassResult<T>>;
  }

  /** …and the session's pushes (class:feed, class:you, class:evicted). */
  onClass<E extends keyof ClassServerToClientEvents>(event: E, handler: ClassServerToClientEvents[E]): void {
    (this.socket as unknown as { on(e: string, h: unknown): void }).on(event, handler);
  }

  private enter(joined: JoinedRoom, spectate: boolean): void {
    this.current = { view: joined.room, spectate };
    if (joined.seatToken) saveSeatToken(joined.room.code, joined.seatToken);
    bus.emit('room:joined', joined);
  }

  async create(request: CreateRoomRequest): Promise<Result<JoinedRoom>> {
    const reply = await this.request<'room:create', JoinedRoom>('room:create', request);
    if (reply.ok) this.enter(reply, false);
    return reply;
  }

  async join(code: string, options: { spectate?: boolean; nickname?: string } = {}): Promise<Result<JoinedRoom>> {
    const upper = code.trim().toUpperCase();
    const token = options.spectate ? null : loadSeatToken(upper);
    const request = {
      code: upper,
      spectate: options.spectate ?? false,
      ...(token ? { seatToken: token } : {}),
      ...(options.nickname ? { nickname: options.nickname } : {}),
    };
    let reply = await this.request<'room:join', JoinedRoom>('room:join', request);
    if (!reply.ok && reply.error.code === 'BAD_SEAT_TOKEN' && token) {
      // the seat went to someone else (or the server restarted): join as a newcomer
      reply = await this.request<'room:join', JoinedRoom>('room:join', { ...request, seatToken: undefined });
    }
    if (reply.ok) this.enter(reply, options.spectate ?? false);
    return reply;
  }

  private async rejoin(): Promise<void> {
    if (!this.current) return;
    const reply = await this.join(this.current.view.code, { spectate: this.current.spectate });
    if (reply.ok) bus.emit('announce', { text: '__reconnected__' });
  }

  async leave(): Promise<void> {
    const room = this.current?.view;
    this.current = null;
    if (room) await this.request<'room:leave', object>('room:leave', { code: room.code });
    bus.emit('room:left', {});
  }

  /** Play a card. An accepted move's answer carries what it did (`happenings`): in hard mode, a refused card
   * that was sent anyway shows there, with the other end's reaction. */
  async play(card: Card): Promise<Result<{ version: number; happenings: RoomUpdate['happenings'] }>> {
    const room = this.room;
    if (!room) return { ok: false, error: { code: 'NOT_SEATED', message: { en: 'Not in a room.', zh: '不在房间里。' } } };
    const reply = await this.request<'card:play', CardPlayed>('card:play', {
      code: room.code,
      version: room.version,
      card,
    });
    if (!reply.ok) {
      // stale: the game moved first. No answer (a time-out): the card may have been taken, and its update
      // was in the answer that never came. Either way the whole room tells where the game is.
      if (reply.error.code !== 'REFUSED') void this.resync();
      return reply;
    }
    // the move's update comes in the answer, not as a room:update event, to the player who played the card
    this.onUpdate(reply.update);
    return { ok: true, version: reply.version, happenings: reply.update.happenings };
  }

  async hint(): Promise<Result<{ hint: Card | null }>> {
    if (!this.room) return { ok: false, error: timeoutError() };
    return this.request<'hint:ask', { hint: Card | null }>('hint:ask', { code: this.room.code });
  }

  async quiz(state: string): Promise<Result<{ correct: boolean; state: string }>> {
    if (!this.room) return { ok: false, error: timeoutError() };
    return this.request<'quiz:answer', { correct: boolean; state: string }>('quiz:answer', {
      code: this.room.code,
      version: this.room.version,
      state,
    });
  }

  async rematch(): Promise<Result<{ room: RoomView }>> {
    if (!this.room) return { ok: false, error: timeoutError() };
    const reply = await this.request<'room:rematch', { room: RoomView }>('room:rematch', { code: this.room.code });
    if (reply.ok) this.acceptRoom(reply.room, [], null, true);
    return reply;
  }

  async resync(): Promise<void> {
    if (!this.room || this.resyncing) return;
    this.resyncing = true;
    try {
      const reply = await this.request<'room:resync', ResyncReply>('room:resync', { code: this.room.code });
      if (reply.ok) {
        bus.emit('room:you', { code: reply.room.code, role: reply.role, seat: reply.seat });
        this.acceptRoom(reply.room, [], null, true);
        bus.emit('room:resynced', { room: reply.room });
      }
    } finally {
      this.resyncing = false;
    }
  }

  private acceptRoom(room: RoomView, happenings: RoomUpdate['happenings'], by: RoomUpdate['by'], force: boolean): void {
    if (!this.current || room.code !== this.current.view.code) return;
    if (!force && room.version < this.current.view.version) return; // an old update overtaken by a newer one
    this.current.view = room;
    bus.emit('room:update', { room, happenings, by });
  }

  private onUpdate(update: RoomUpdateMessage): void {
    const room = this.room;
    if (!room || update.room.code !== room.code) return;
    const known = room.version;
    if (update.room.version <= known) return; // an old update overtaken by a newer one (a resync, say)
    // the change applies to the timeline of the version just before it; anything else means a missed update
    const timeline =
      update.room.version === known + 1
        ? applyTimelineChange(room.game.timeline, { from: update.timelineFrom, tail: update.room.game.timeline })
        : null;
    if (!timeline) {
      // we missed at least one move: ask for the whole room (the board keeps showing the last one it had)
      void this.resync();
      return;
    }
    const { timelineFrom: _from, ...whole } = update;
    this.acceptRoom({ ...whole.room, game: { ...whole.room.game, timeline } }, whole.happenings, whole.by, false);
  }
}
