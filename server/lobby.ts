// The rooms of one server: creating them with a fresh code, finding them (in memory, or loaded from the
// store on first use), resuming them all after a restart, and removing idle ones. The store is the truth;
// this map is a cache of the rooms this process runs.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { Seat } from '../shared/game/types.ts';
import { protocolError } from '../shared/i18n/errors.ts';
import type { Ack, JoinedRoom } from '../shared/protocol/events.ts';
import type { ServerConfig } from './config.ts';
import type { Clock } from './room/clocks.ts';
import { Room, type Hub, type RoomDeps, type RoomObserver } from './room/room.ts';
import { newRoomCode } from './roomCode.ts';
import { soleOwner, type Ownership } from './cluster/ownership.ts';
import { decodeRoom, type RoomOptions } from './store/records.ts';
import { ROOM_PREFIX, roomKey, sessionKey, type StateStore } from './store/stateStore.ts';

export interface CreateRequest extends RoomOptions {
  nickname?: string;
  seat: Seat;
}

export class Lobby {
  private readonly rooms = new Map<string, Room>();
  /** rooms being read from the store: a second request for one waits for the same load */
  private readonly loading = new Map<string, Promise<Room | undefined>>();
  /** rooms being closed: not to be loaded again from their record while it is being deleted */
  private readonly closing = new Set<string>();
  private readonly deps: RoomDeps;
  private sweeper: NodeJS.Timeout | null = null;
  /** how a class pair's room finds the session that follows it (set by the session registry) */
  observerFor: (session: string) => RoomObserver | null = () => null;
  /** called with a room loaded from the store before anyone uses it (a cluster finds its members on other nodes) */
  loaded: (room: Room) => Promise<void> = async () => {};

  constructor(
    hub: Hub,
    store: StateStore,
    config: ServerConfig,
    logger: Logger,
    clock: Clock,
    /** in a cluster: a room is loaded or made only under this node's lease */
    private readonly ownership: Ownership = soleOwner,
  ) {
    this.deps = {
      hub,
      store,
      config,
      logger,
      clock,
      seed: () => randomInt(0, 2 ** 32 - 1),
    };
  }

  start(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.deps.config.sweepMs);
    this.sweeper.unref();
  }

  /** A room this process runs now, without going to the store. */
  peek(code: string): Room | undefined {
    return this.rooms.get(code);
  }

  /** The room with this code: from memory, or loaded from the store (its clocks resume); undefined if there is none. */
  get(code: string): Promise<Room | undefined> {
    const room = this.rooms.get(code);
    if (room) return Promise.resolve(room);
    if (this.closing.has(code)) return Promise.resolve(undefined);
    let pending = this.loading.get(code);
    if (!pending) {
      pending = this.load(code).finally(() => this.loading.delete(code));
      this.loading.set(code, pending);
    }
    return pending;
  }

  private async load(code: string): Promise<Room | undefined> {
    // in a cluster another node may run it: then it is not ours to load (the socket door forwards to that node)
    if (!(await this.ownership.claim('room', code))) return undefined;
    const text = await this.deps.store.get(roomKey(code));
    if (text === undefined) {
      await this.ownership.release('room', code);
      return undefined;
    }
    const existing = this.rooms.get(code);
    if (existing) return existing;
    const record = decodeRoom(text, roomKey(code));
    const room = Room.resume(record, this.deps);
    if (record.session) room.observer = this.observerFor(record.session);
    this.rooms.set(code, room);
    await this.loaded(room);
    return room;
  }

  /** Loads every stored room (at start, so their clocks run even before anyone comes back). Throws on a record it cannot read. */
  async resumeAll(): Promise<number> {
    const keys = await this.deps.store.keys(ROOM_PREFIX);
    for (const key of keys) await this.get(key.slice(ROOM_PREFIX.length));
    return keys.length;
  }

  get size(): number {
    return this.rooms.size;
  }

  /** Is this code taken by a room or a class session, live or stored? */
  async codeTaken(code: string): Promise<boolean> {
    if (this.rooms.has(code)) return true;
    const store = this.deps.store;
    return (await store.get(roomKey(code))) !== undefined || (await store.get(sessionKey(code))) !== undefined;
  }

  /** A code no room or session has (887 million codes: a clash is rare, but never hand out a taken code twice). */
  async freshCode(): Promise<string | null> {
    let code = newRoomCode();
    for (let tries = 0; await this.codeTaken(code); tries += 1) {
      if (tries > 20) return null;
      code = newRoomCode();
    }
    return code;
  }

  /** As many rooms as the server takes (config.maxRooms): room:create is refused. */
  get full(): boolean {
    return this.rooms.size >= this.deps.config.maxRooms;
  }

  async create(socketId: string, request: CreateRequest): Promise<Ack<JoinedRoom>> {
    if (this.full) {
      this.deps.logger.warn({ rooms: this.rooms.size }, 'room refused: server full');
      return { ok: false, error: protocolError('SERVER_FULL') };
    }
    const code = await this.freshCode();
    if (!code || !(await this.ownership.claim('room', code))) return { ok: false, error: protocolError('INTERNAL') };
    const { nickname, seat, ...options } = request;
    const room = new Room(Room.newRecord(code, options, this.deps), this.deps);
    if (options.mode === 'bot') room.seatBot(seat === 'A' ? 'B' : 'A');
    this.rooms.set(code, room);
    // the join below commits the room with its first seat: nobody hears of the room before that
    const joined = await room.join(socketId, { nickname, seat, spectate: false });
    if (!joined.ok) {
      this.rooms.delete(code);
      await this.ownership.release('room', code);
      return joined;
    }
    this.deps.logger.info({ room: code, mode: options.mode, mission: options.mission, nickname: nickname ?? null }, 'room created');
    return joined;
  }

  /**
   * A room whose seats are set at creation (a class pair): each seat is a human's, held under the hash of
   * their token until they join with it, or a bot's. The round starts at once. Null if no code could be found
   * or the room could not be committed.
   */
  async createPair(
    options: RoomOptions,
    seats: Record<Seat, { nickname: string; tokenHash: string } | 'bot'>,
    session: string,
  ): Promise<Room | null> {
    const code = await this.freshCode();
    if (!code || !(await this.ownership.claim('room', code))) return null;
    const room = new Room({ ...Room.newRecord(code, options, this.deps), byTokenOnly: true, session }, this.deps);
    for (const seat of ['A', 'B'] as const) {
      const holder = seats[seat];
      if (holder === 'bot') room.seatBot(seat);
      else room.reserve(seat, holder.nickname, holder.tokenHash);
    }
    room.observer = this.observerFor(session);
    this.rooms.set(code, room);
    await room.begin();
    if (room.record.version === 0) {
      // begin() could not commit: the pair's room does not exist
      await room.unload();
      this.rooms.delete(code);
      await this.ownership.release('room', code);
      return null;
    }
    return room;
  }

  /** Close a room now and delete its record (a class round's room, when the next round starts or the session ends). */
  async remove(code: string): Promise<void> {
    const room = await this.get(code);
    if (!room) return;
    await this.closeRoom(room);
  }

  private async closeRoom(room: Room): Promise<void> {
    this.closing.add(room.code);
    this.rooms.delete(room.code);
    try {
      await room.close('expired');
      await this.ownership.release('room', room.code);
    } finally {
      this.closing.delete(room.code);
    }
  }

  /** Codes of the rooms this process runs now. */
  codes(): string[] {
    return [...this.rooms.keys()];
  }

  /**
   * This node lost its lease on the room (another node may run it now): stop it here at once, without a
   * commit and without letting go of a lease that is no longer ours.
   */
  async drop(code: string): Promise<void> {
    const room = this.rooms.get(code);
    if (!room) return;
    this.rooms.delete(code);
    await room.unload();
  }

  /** Remove rooms that have been idle too long (their records go too). */
  async sweep(now = this.deps.clock.now()): Promise<number> {
    let removed = 0;
    for (const room of [...this.rooms.values()]) {
      if (!room.isIdle(now)) continue;
      await this.closeRoom(room);
      removed += 1;
    }
    return removed;
  }

  /** The process stops: every room's clocks stop here, every record stays as last committed. */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    // unloaded first (its queue finished, its record as committed), then another node may take it at once
    await Promise.all(rooms.map(async (room) => {
      await room.unload();
      await this.ownership.release('room', room.code);
    }));
  }
}
