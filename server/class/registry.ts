// The sessions of one server: creating them with a fresh code (never one a room or session has, live or
// stored), finding them (in memory, or loaded from the store on first use), resuming them after a restart,
// and removing idle ones. Class pairs' rooms find their session here to report to it.
import type { Logger } from 'pino';
import type { SessionMode } from '../../shared/protocol/class.ts';
import type { Lobby } from '../lobby.ts';
import type { Clock } from '../room/clocks.ts';
import type { RoomObserver } from '../room/room.ts';
import { SESSION_PREFIX, sessionKey, type StateStore } from '../store/stateStore.ts';
import { soleOwner, type Ownership } from '../cluster/ownership.ts';
import { Session, type ClassHub, type NewSession } from './session.ts';

/** The projector feed goes out at most this often (4 a second). */
export const FEED_INTERVAL_MS = 250;

export interface RegistryDeps {
  hub: ClassHub;
  lobby: Lobby;
  store: StateStore;
  logger: Logger;
  clock: Clock;
  idleMs: number;
  sweepMs: number;
  maxSessions: number;
  /** in a cluster: a session is loaded or made only under this node's lease */
  ownership?: Ownership;
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();
  private readonly loading = new Map<string, Promise<Session | undefined>>();
  private sweeper: NodeJS.Timeout | null = null;
  /**
   * called with a session loaded from the store before anyone uses it (a cluster node that took it over finds
   * its people on every node); what it queues on the session runs before any request
   */
  loaded: (session: Session) => void = () => {};

  constructor(private readonly deps: RegistryDeps) {
    // a pair's room reports to its session through here, whichever of the two was loaded first
    deps.lobby.observerFor = (code) => this.observerFor(code);
  }

  start(): void {
    this.sweeper = setInterval(() => void this.sweep(), this.deps.sweepMs);
    this.sweeper.unref();
  }

  /** A session this process runs now, without going to the store. */
  peek(code: string): Session | undefined {
    return this.sessions.get(code);
  }

  /** The session with this code: from memory, or loaded from the store; undefined if there is none. */
  get(code: string): Promise<Session | undefined> {
    const session = this.sessions.get(code);
    if (session) return Promise.resolve(session);
    let pending = this.loading.get(code);
    if (!pending) {
      pending = this.load(code).finally(() => this.loading.delete(code));
      this.loading.set(code, pending);
    }
    return pending;
  }

  private get ownership(): Ownership {
    return this.deps.ownership ?? soleOwner;
  }

  private async load(code: string): Promise<Session | undefined> {
    if (!(await this.ownership.claim('session', code))) return undefined;
    const key = sessionKey(code);
    const text = await this.deps.store.get(key);
    if (text === undefined) {
      await this.ownership.release('session', code);
      return undefined;
    }
    const session = await Session.resume(text, key, this.sessionDeps());
    const raced = this.sessions.get(code);
    if (raced) return raced;
    this.sessions.set(code, session);
    this.loaded(session);
    return session;
  }

  /** Loads every stored session (at start: their round clocks run, their pairs' rooms are followed again). */
  async resumeAll(): Promise<number> {
    const keys = await this.deps.store.keys(SESSION_PREFIX);
    for (const key of keys) await this.get(key.slice(SESSION_PREFIX.length));
    return keys.length;
  }

  private observerFor(code: string): RoomObserver {
    return {
      changed: (snapshot) => this.sessions.get(code)?.observer.changed(snapshot),
      refused: (room, seat, refusal) => this.sessions.get(code)?.observer.refused(room, seat, refusal),
    };
  }

  get size(): number {
    return this.sessions.size;
  }

  /** As many sessions as the server takes: class:create is refused. */
  get full(): boolean {
    return this.sessions.size >= this.deps.maxSessions;
  }

  /** A new session, committed; null if no code could be found or it could not be stored. */
  async create(mode: SessionMode): Promise<NewSession | null> {
    if (this.full) return null;
    const code = await this.deps.lobby.freshCode();
    if (!code || this.sessions.has(code)) return null;
    if (!(await this.ownership.claim('session', code))) return null;
    const made = await Session.create(code, mode, this.sessionDeps());
    if (!made) {
      await this.ownership.release('session', code);
      return null;
    }
    this.sessions.set(code, made.session);
    this.deps.logger.info({ session: code, mode }, 'session created');
    return made;
  }

  private sessionDeps() {
    const { hub, lobby, store, logger, clock } = this.deps;
    return { hub, lobby, store, logger, clock, feedIntervalMs: FEED_INTERVAL_MS };
  }

  async sweep(now = this.deps.clock.now()): Promise<number> {
    let removed = 0;
    for (const [code, session] of this.sessions) {
      if (!session.isIdle(now, this.deps.idleMs)) continue;
      this.sessions.delete(code);
      await session.close();
      await this.ownership.release('session', code);
      removed += 1;
    }
    return removed;
  }

  /** The process stops: every session lets go, every record stays as last committed. */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    const all = [...this.sessions.entries()];
    this.sessions.clear();
    await Promise.all(all.map(async ([code, s]) => {
      await s.unload();
      await this.ownership.release('session', code);
    }));
  }

  codes(): string[] {
    return [...this.sessions.keys()];
  }

  /** This node lost its lease on the session: stop it here, no commit, no release. */
  async drop(code: string): Promise<void> {
    const session = this.sessions.get(code);
    if (!session) return;
    this.sessions.delete(code);
    await session.unload();
  }
}
