// The sessions of one server: creating them with a fresh code (never one a live room or session has),
// finding them, and removing idle ones.
import type { Logger } from 'pino';
import type { SessionMode } from '../../shared/protocol/class.ts';
import type { Lobby } from '../lobby.ts';
import { newRoomCode } from '../roomCode.ts';
import { Session, type ClassHub } from './session.ts';

/** The projector feed goes out at most this often (4 a second). */
export const FEED_INTERVAL_MS = 250;

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly deps: { hub: ClassHub; lobby: Lobby; logger: Logger; idleMs: number; sweepMs: number; maxSessions: number },
  ) {}

  start(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.deps.sweepMs);
    this.sweeper.unref();
  }

  get(code: string): Session | undefined {
    return this.sessions.get(code);
  }

  get size(): number {
    return this.sessions.size;
  }

  /** As many sessions as the server takes: class:create is refused. */
  get full(): boolean {
    return this.sessions.size >= this.deps.maxSessions;
  }

  create(mode: SessionMode): Session | null {
    if (this.full) return null;
    let code = newRoomCode();
    for (let tries = 0; this.sessions.has(code) || this.deps.lobby.get(code); tries += 1) {
      if (tries > 20) return null;
      code = newRoomCode();
    }
    const session = new Session(code, mode, {
      hub: this.deps.hub,
      lobby: this.deps.lobby,
      logger: this.deps.logger,
      now: Date.now,
      feedIntervalMs: FEED_INTERVAL_MS,
    });
    this.sessions.set(code, session);
    this.deps.logger.info({ session: code, mode }, 'session created');
    return session;
  }

  async sweep(now = Date.now()): Promise<number> {
    let removed = 0;
    for (const [code, session] of this.sessions) {
      if (!session.isIdle(now, this.deps.idleMs)) continue;
      this.sessions.delete(code);
      await session.close();
      removed += 1;
    }
    return removed;
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.close()));
  }
}
