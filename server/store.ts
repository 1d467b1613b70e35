// The GameStore seam. A room's lasting state is a RoomRecord: plain, serialisable data (no sockets, no
// timers, no functions), so a persistent store (SQLite, Redis) can replace the in-memory one without touching
// the rooms. The live parts of a room (its queue, timers and connected sockets) stay in server/room.ts.
import type { GameState, NetworkFaults, Seat, MissionId, Difficulty } from '../shared/game/types.ts';

export interface SeatRecord {
  kind: 'empty' | 'human' | 'bot';
  nickname: string | null;
  /** the private seat token of a human seat; null for empty and bot seats */
  token: string | null;
  connected: boolean;
  /** while a human is away: when its grace period ends (ms since epoch) */
  graceEndsAt: number | null;
}

export interface RoomOptions {
  mode: 'duel' | 'bot';
  botLevel: 'correct' | 'erring';
  mission: MissionId;
  difficulty: Difficulty;
  faults: NetworkFaults;
  skin: 'network' | 'airport';
  language: 'en' | 'zh-CN';
  onAbandon: 'bot' | 'end';
}

export interface RoomRecord {
  code: string;
  createdAt: number;
  /** last change of any kind (for idle expiry) */
  touchedAt: number;
  options: RoomOptions;
  phase: 'waiting' | 'playing' | 'finished';
  round: number;
  /** grows by one with every room:update (a game move, a seat changing hands, a new round) */
  version: number;
  seats: Record<Seat, SeatRecord>;
  game: GameState;
  /** state of the bots' random source (mulberry32), so a stored room replays the same bot */
  botRng: number;
  abandonedBy: Seat | null;
  /**
   * A class pair's room: its seats were given out with the round (a seat token each, or a bot) and are taken
   * with that token only; it is not played on after the round (no rematch). Unset for ordinary rooms.
   */
  byTokenOnly?: boolean;
}

export interface GameStore {
  get(code: string): Promise<RoomRecord | undefined>;
  has(code: string): Promise<boolean>;
  save(record: RoomRecord): Promise<void>;
  delete(code: string): Promise<void>;
  codes(): Promise<string[]>;
  size(): Promise<number>;
}

/** Rooms in a Map. Records are stored by reference: the room that owns a record is its only writer. */
export class MemoryStore implements GameStore {
  private readonly rooms = new Map<string, RoomRecord>();

  async get(code: string): Promise<RoomRecord | undefined> {
    return this.rooms.get(code);
  }
  async has(code: string): Promise<boolean> {
    return this.rooms.has(code);
  }
  async save(record: RoomRecord): Promise<void> {
    this.rooms.set(record.code, record);
  }
  async delete(code: string): Promise<void> {
    this.rooms.delete(code);
  }
  async codes(): Promise<string[]> {
    return [...this.rooms.keys()];
  }
  async size(): Promise<number> {
    return this.rooms.size;
  }
}
