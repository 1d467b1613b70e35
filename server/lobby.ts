// The rooms of one server: creating them with a fresh code, finding them, and removing idle ones.
import { randomInt } from 'node:crypto';
import type { Logger } from 'pino';
import type { Seat } from '../shared/game/types.ts';
import { protocolError } from '../shared/i18n/errors.ts';
import type { Ack, JoinedRoom } from '../shared/protocol/events.ts';
import type { ServerConfig } from './config.ts';
import { Room, type Hub, type RoomDeps } from './room.ts';
import { newRoomCode } from './roomCode.ts';
import type { GameStore, RoomOptions } from './store.ts';

export interface CreateRequest extends RoomOptions {
  nickname?: string;
  seat: Seat;
}

export class Lobby {
  private readonly rooms = new Map<string, Room>();
  private readonly deps: RoomDeps;
  private sweeper: NodeJS.Timeout | null = null;

  constructor(hub: Hub, store: GameStore, config: ServerConfig, logger: Logger) {
    this.deps = {
      hub,
      store,
      config,
      logger,
      now: Date.now,
      seed: () => randomInt(0, 2 ** 32 - 1),
    };
  }

  start(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.deps.config.sweepMs);
    this.sweeper.unref();
  }

  get(code: string): Room | undefined {
    return this.rooms.get(code);
  }

  get size(): number {
    return this.rooms.size;
  }

  /** A code no live room has (887 million codes: a clash is rare, but never hand out a live code twice). */
  private async freshCode(): Promise<string | null> {
    let code = newRoomCode();
    for (let tries = 0; this.rooms.has(code) || (await this.deps.store.has(code)); tries += 1) {
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
    if (!code) return { ok: false, error: protocolError('INTERNAL') };
    const { nickname, seat, ...options } = request;
    const room = new Room(Room.newRecord(code, options, this.deps), this.deps);
    if (options.mode === 'bot') room.seatBot(seat === 'A' ? 'B' : 'A');
    this.rooms.set(code, room);
    await this.deps.store.save(room.record);
    this.deps.logger.info({ room: code, mode: options.mode, mission: options.mission, nickname: nickname ?? null }, 'room created');
    return room.join(socketId, { nickname, seat, spectate: false });
  }

  /**
   * A room whose seats are set at creation (a class pair): each seat is a human's, held under a token until
   * they join with it, or a bot's. The round starts at once. Null if no code could be found.
   */
  async createPair(options: RoomOptions, seats: Record<Seat, { nickname: string; token: string } | 'bot'>): Promise<Room | null> {
    const code = await this.freshCode();
    if (!code) return null;
    const room = new Room({ ...Room.newRecord(code, options, this.deps), byTokenOnly: true }, this.deps);
    for (const seat of ['A', 'B'] as const) {
      const holder = seats[seat];
      if (holder === 'bot') room.seatBot(seat);
      else room.reserve(seat, holder.nickname, holder.token);
    }
    this.rooms.set(code, room);
    await this.deps.store.save(room.record);
    await room.begin();
    return room;
  }

  /** Close a room now (a class round's room, when the next round starts or the session ends). */
  async remove(code: string): Promise<void> {
    const room = this.rooms.get(code);
    if (!room) return;
    this.rooms.delete(code);
    await room.close('expired');
  }

  /** Remove rooms that have been idle too long. */
  async sweep(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const [code, room] of this.rooms) {
      if (!room.isIdle(now)) continue;
      this.rooms.delete(code);
      await room.close('expired');
      removed += 1;
    }
    return removed;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    await Promise.all(rooms.map((room) => room.close('expired')));
  }
}
