// One node of a cluster that shares rooms and class sessions through Redis (REDIS_URL).
//
// - Ownership: a room or session is run by exactly one node at a time, the one whose id its lease key
//   (hs:lease:room:CODE, hs:lease:session:CODE) holds. A lease is taken with SET NX PX and renewed by its
//   holder every third of its life; every record write is fenced by it (redisStore.ts). A node that cannot
//   renew (Redis gone, or another node took over) stops the thing at once and never writes again for it.
// - Requests: a client may be connected to any node. A request about a room this node does not run is
//   forwarded to the owner over a Redis channel of the owner's (hs:node:ID) and the answer comes back the same
//   way; if the owner does not answer in time the player is told NOT_ANSWERED (look at the board, maybe play
//   again), never that the card was played. Updates reach members on every node through socket.io's Redis
//   streams adapter.
// - Take-over: every node looks for records whose lease has expired (a node was killed) and takes them,
//   resuming their clocks from the record; a node that stops (SIGTERM) releases its leases after unloading,
//   so the next request or scan on another node takes them at once.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { ServerConfig } from '../config.ts';
import { ROOM_PREFIX, SESSION_PREFIX } from '../store/stateStore.ts';
import type { OwnedKind, Ownership } from './ownership.ts';
import { encodeJson } from '../wireParser.ts';
import { KEY_PREFIX, RedisStateStore, StoreWriteError } from './redisStore.ts';

const RENEW = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export const leaseKey = (kind: OwnedKind, code: string) => `${KEY_PREFIX}lease:${kind}:${code}`;
const recordKey = (kind: OwnedKind, code: string) => `${KEY_PREFIX}${kind}:${code}`;
const nodeChannel = (node: string) => `${KEY_PREFIX}node:${node}`;
/** every node listens here: a node that handed its rooms over says so, and the others take them at once */
const ALL_NODES = `${KEY_PREFIX}nodes`;
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Owners remembered for forwarding at most (rooms come and go: the map starts again when it is this full). */
const MAX_REMEMBERED_OWNERS = 50_000;

/** What the socket layer gives the cluster: how to run a request here, and how to stop a thing here. */
export interface LocalRunner {
  /** runs `method` on the room or session `code` on this node (loading it if needed); UNKNOWN if there is none */
  run(kind: OwnedKind, code: string, method: string, args: unknown[]): Promise<unknown>;
  /** this node lost the lease: stop running it, no commit, no release */
  drop(kind: OwnedKind, code: string): Promise<void>;
  /** the codes this node runs now */
  owned(kind: OwnedKind): string[];
}

export const UNKNOWN = Symbol('unknown');
/** The owner did not answer in time: the socket door turns this into NOT_ANSWERED. */
export const NO_ANSWER = Symbol('no answer');

interface Request {
  t: 'req';
  id: number;
  from: string;
  kind: OwnedKind;
  code: string;
  method: string;
  args: unknown[];
}
interface Response {
  t: 'res';
  id: number;
  /** the answer as JSON text (it may hold a pre-encoded update), or why there is none */
  answer?: string;
  moved?: true;
  gone?: true;
  unknown?: true;
  failed?: true;
}

export class Cluster implements Ownership {
  readonly nodeId: string;
  /** commands: records, leases, publishing; fails at once while Redis is unreachable (no offline queue) */
  readonly redis: Redis;
  /** for socket.io's adapter, which queues while Redis is away and rides out a short disconnection */
  readonly adapterRedis: Redis;
  private readonly sub: Redis;
  readonly store: RedisStateStore;
  /** lease key → when Redis last confirmed it is ours (ms) */
  private readonly held = new Map<string, number>();
  private readonly pending = new Map<number, { resolve: (response: Response) => void; timer: NodeJS.Timeout }>();
  private nextId = 1;
  private readonly inFlight = new Set<Promise<unknown>>();
  /**
   * lease key → the other node that answered the last request forwarded for it: the next request goes there
   * without asking Redis who owns it. Forgotten as soon as a forward there does not come back with an answer
   * (the owner let go, died or is frozen): then Redis is asked again.
   */
  private readonly owners = new Map<string, string>();
  private runner: LocalRunner | null = null;
  private timers: NodeJS.Timeout[] = [];
  private stopping = false;
  private scanning = false;
  redisReachable = true;

  private constructor(
    private readonly config: ServerConfig,
    private readonly logger: Logger,
  ) {
    this.nodeId = config.nodeId ?? `node-${randomBytes(4).toString('hex')}`;
    const url = config.redisUrl!;
    const quiet = (client: Redis, name: string) =>
      client.on('error', (error: Error) => this.logger.debug({ node: this.nodeId, client: name, err: error.message }, 'redis error'));
    this.redis = new Redis(url, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 3000,
      retryStrategy: () => 200,
      lazyConnect: true,
    });
    this.adapterRedis = new Redis(url, { retryStrategy: () => 200, lazyConnect: true });
    this.sub = new Redis(url, { retryStrategy: () => 200, lazyConnect: true });
    quiet(this.redis, 'commands');
    quiet(this.adapterRedis, 'adapter');
    quiet(this.sub, 'bus');
    this.redis.on('ready', () => {
      if (!this.redisReachable) this.logger.info({ node: this.nodeId }, 'redis reachable again');
      this.redisReachable = true;
    });
    this.redis.on('close', () => {
      if (this.redisReachable && !this.stopping) this.logger.warn({ node: this.nodeId }, 'redis unreachable: taking no moves until it is back');
      this.redisReachable = false;
    });
    this.store = new RedisStateStore(this.redis, this.nodeId, (key) => {
      const lease = key.startsWith(ROOM_PREFIX) ? leaseKey('room', key.slice(ROOM_PREFIX.length)) : key.startsWith(SESSION_PREFIX) ? leaseKey('session', key.slice(SESSION_PREFIX.length)) : null;
      return lease && this.held.has(lease) ? lease : null;
    });
    this.store.onLeaseLost = (key) => {
      const [kind, code] = key.split(':') as [OwnedKind, string];
      void this.lost(leaseKey(kind, code), kind, code);
    };
  }

  /** Connects to Redis; a clear error if it cannot be reached. */
  static async connect(config: ServerConfig, logger: Logger): Promise<Cluster> {
    const cluster = new Cluster(config, logger);
    try {
      await Promise.all([cluster.redis.connect(), cluster.adapterRedis.connect(), cluster.sub.connect()]);
    } catch (error) {
      cluster.redis.disconnect();
      cluster.adapterRedis.disconnect();
      cluster.sub.disconnect();
      throw new Error(`Cannot reach Redis at ${config.redisUrl}: ${(error as Error).message}. Start Redis, or unset REDIS_URL to run one process on its own.`);
    }
    await cluster.sub.subscribe(nodeChannel(cluster.nodeId), ALL_NODES);
    cluster.sub.on('message', (channel: string, text: string) => {
      if (channel === ALL_NODES) void cluster.scan();
      else cluster.onMessage(text);
    });
    return cluster;
  }

  // ---------------------------------------------------------------- leases

  async claim(kind: OwnedKind, code: string): Promise<boolean> {
    // a stopping node loads nothing again, not even what it still holds while it unloads
    if (this.stopping) return false;
    const key = leaseKey(kind, code);
    if (this.held.has(key)) return true;
    const set = await this.redis.set(key, this.nodeId, 'PX', this.config.leaseMs, 'NX');
    if (set !== 'OK') return false;
    this.held.set(key, Date.now());
    this.logger.info({ node: this.nodeId, [kind]: code }, 'lease taken');
    return true;
  }

  async release(kind: OwnedKind, code: string): Promise<void> {
    const key = leaseKey(kind, code);
    if (!this.held.delete(key)) return;
    try {
      await this.redis.eval(RELEASE, 1, key, this.nodeId);
    } catch (error) {
      // it expires by itself within the lease time
      this.logger.warn({ node: this.nodeId, [kind]: code, err: (error as Error).message }, 'lease not released');
    }
  }

  holds(kind: OwnedKind, code: string): boolean {
    return this.held.has(leaseKey(kind, code));
  }

  private async lost(key: string, kind: OwnedKind, code: string): Promise<void> {
    if (!this.held.delete(key)) return;
    this.logger.warn({ node: this.nodeId, [kind]: code }, 'lease lost: stopped here');
    await this.runner?.drop(kind, code).catch(() => {});
  }

  /** Renew every lease held; one Redis round trip for all of them. */
  private async renew(): Promise<void> {
    const keys = [...this.held.keys()];
    if (keys.length === 0) return;
    const now = Date.now();
    try {
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.eval(RENEW, 1, key, this.nodeId, this.config.leaseMs);
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([error, value], i) => {
        const key = keys[i];
        if (!this.held.has(key)) return;
        if (!error && value === 1) this.held.set(key, now);
        else if (!error) void this.lost(key, ...splitLease(key));
      });
    } catch {
      // Redis unreachable: a lease whose time is nearly up may already be another node's once Redis is back
    }
    for (const [key, confirmed] of this.held) {
      if (Date.now() - confirmed > this.config.leaseMs * 0.8) void this.lost(key, ...splitLease(key));
    }
  }

  /** Take every room and session whose record has no lease (its node died or stopped). Sessions first: they bring their pairs' rooms. */
  async scan(): Promise<{ rooms: number; sessions: number }> {
    const taken = { rooms: 0, sessions: 0 };
    if (this.scanning || this.stopping || !this.runner) return taken;
    this.scanning = true;
    try {
      for (const kind of ['session', 'room'] as const) {
        const codes = await this.orphans(kind);
        for (const code of codes) {
          if (this.stopping) break;
          // a class pair's room goes with its session: the node that takes the session loads it
          if (kind === 'room' && (await this.sessionOf(code)) !== null) continue;
          if (!(await this.claim(kind, code))) continue;
          // loading it (resume: clocks rearmed, members on other nodes adopted) is the runner's
          const result = await this.runner.run(kind, code, 'touch', []);
          if (result === UNKNOWN) await this.release(kind, code);
          else if (kind === 'room') taken.rooms += 1;
          else taken.sessions += 1;
        }
      }
      if (taken.rooms + taken.sessions > 0) this.logger.info({ node: this.nodeId, ...taken }, 'taken over');
    } catch (error) {
      this.logger.debug({ node: this.nodeId, err: (error as Error).message }, 'scan failed');
    } finally {
      this.scanning = false;
    }
    return taken;
  }

  private async orphans(kind: OwnedKind): Promise<string[]> {
    const prefix = kind === 'room' ? ROOM_PREFIX : SESSION_PREFIX;
    const codes = (await this.store.keys(prefix)).map((key) => key.slice(prefix.length));
    if (codes.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const code of codes) pipeline.exists(leaseKey(kind, code));
    const results = (await pipeline.exec()) ?? [];
    return codes.filter((_, i) => results[i]?.[0] === null && results[i]?.[1] === 0);
  }

  // ---------------------------------------------------------------- requests

  /** Start: renewing, scanning for orphans, answering forwarded requests. */
  async start(runner: LocalRunner): Promise<void> {
    this.runner = runner;
    const renewEvery = Math.max(200, Math.floor(this.config.leaseMs / 3));
    const scanEvery = Math.max(300, Math.floor(this.config.leaseMs / 2));
    this.timers.push(setInterval(() => void this.renew(), renewEvery), setInterval(() => void this.scan(), scanEvery));
    for (const timer of this.timers) timer.unref();
    await this.scan();
  }

  /**
   * Runs a request about a room or session wherever its owner is: here (taking it if nobody runs it), or on
   * the owning node. UNKNOWN if it does not exist; NO_ANSWER if the owner did not answer in time.
   */
  async route(kind: OwnedKind, code: string, method: string, args: unknown[]): Promise<unknown> {
    const routed = this.routeOnce(kind, code, method, args);
    // a node that stops waits for these (a socket's disconnect, sent on to the owner as the sockets close)
    this.inFlight.add(routed);
    try {
      return await routed;
    } catch (error) {
      // Redis cannot be reached: nothing can be decided, and the player is told so (NOT_SAVED), not "unknown room"
      if (error instanceof StoreWriteError || (error as { code?: unknown }).code === 'STORE_WRITE_FAILED') throw error;
      throw new StoreWriteError(`${kind} ${code}: Redis unreachable (${(error as Error).message})`);
    } finally {
      this.inFlight.delete(routed);
    }
  }

  private async routeOnce(kind: OwnedKind, code: string, method: string, args: unknown[]): Promise<unknown> {
    // A dead owner's lease runs out within leaseMs: until then the request waits (below the client's 8 s).
    const deadline = Date.now() + this.config.leaseMs + 1000;
    for (let attempt = 0; attempt === 0 || Date.now() < deadline; attempt += 1) {
      if (attempt > 0) await pause(100);
      if (this.holds(kind, code) && !this.stopping) return this.runner!.run(kind, code, method, args);
      const key = leaseKey(kind, code);
      const remembered = this.owners.get(key);
      const owner = remembered ?? (await this.redis.get(key));
      // this node is handing over: wait until another node has taken it, then forward there
      if (this.stopping && (owner === null || owner === this.nodeId)) continue;
      if (owner === null) {
        if ((await this.redis.exists(recordKey(kind, code))) === 0) return UNKNOWN;
        // A class pair's room runs where its session runs (the session follows it and stops it): take the
        // session first if nobody runs it (it loads its rooms here), or wait for its node to load the room.
        const session = kind === 'room' ? await this.sessionOf(code) : null;
        if (session !== null) {
          const sessionOwner = await this.redis.get(leaseKey('session', session));
          if (sessionOwner === null) {
            await this.routeOnce('session', session, 'touch', []);
            continue;
          }
          if (sessionOwner !== this.nodeId) continue;
        }
        // a node that is stopping takes nothing: it waits (above) for another node to take it
        if (await this.claim(kind, code)) {
          const result = await this.runner!.run(kind, code, method, args);
          if (result === UNKNOWN) await this.release(kind, code);
          return result;
        }
        continue; // another node took it just now: ask again who
      }
      if (owner === this.nodeId) {
        // ours in Redis but not in memory (this node restarted under the same NODE_ID): take it back
        this.held.set(leaseKey(kind, code), Date.now());
        return this.runner!.run(kind, code, method, args);
      }
      const response = await this.forward(owner, { kind, code, method, args });
      if (response.answer !== undefined) this.remember(key, owner);
      else this.owners.delete(key);
      if (response.unknown) return UNKNOWN;
      if (response.answer !== undefined) return JSON.parse(response.answer);
      if (response.failed) throw new Error(`${method} failed on ${owner}`);
      // the request reached the owner (or may have) and no answer came: it may have been done, or not
      if (!response.moved && !response.gone) return NO_ANSWER;
      // moved: the owner let go of it between our look-up and its arrival; gone: no node listens under that
      // name (it died before it was sent), so nothing was done: look again until its lease runs out
    }
    return NO_ANSWER;
  }

  /** Remember who answered for a lease key; the map is emptied when it grows past what a node forwards for (old rooms). */
  private remember(key: string, owner: string): void {
    if (this.owners.get(key) === owner) return;
    if (this.owners.size >= MAX_REMEMBERED_OWNERS) this.owners.clear();
    this.owners.set(key, owner);
  }

  /** The class session a room belongs to, if that session still exists; null for any other room. */
  private async sessionOf(room: string): Promise<string | null> {
    const text = await this.redis.get(recordKey('room', room));
    if (!text) return null;
    let session: unknown;
    try {
      session = (JSON.parse(text) as { session?: unknown }).session;
    } catch {
      return null; // not readable here: the node that loads it says what is wrong
    }
    if (typeof session !== 'string') return null;
    return (await this.redis.exists(recordKey('session', session))) === 1 ? session : null;
  }

  private forward(owner: string, request: Omit<Request, 't' | 'id' | 'from'>): Promise<Response> {
    const id = this.nextId++;
    return new Promise<Response>((resolve) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        this.logger.warn({ node: this.nodeId, owner, [request.kind]: request.code, method: request.method }, 'owner did not answer');
        resolve({ t: 'res', id });
      }, this.config.forwardTimeoutMs);
      this.pending.set(id, { resolve, timer });
      const message: Request = { t: 'req', id, from: this.nodeId, ...request };
      this.redis.publish(nodeChannel(owner), JSON.stringify(message)).then(
        (receivers) => {
          // nobody listens on that channel: the owner is gone; its lease will expire and a node will take over
          if (receivers === 0) this.settle({ t: 'res', id, gone: true });
        },
        () => this.settle({ t: 'res', id }),
      );
    });
  }

  private settle(response: Response): void {
    const waiting = this.pending.get(response.id);
    if (!waiting) return;
    this.pending.delete(response.id);
    clearTimeout(waiting.timer);
    waiting.resolve(response);
  }

  private onMessage(text: string): void {
    let message: Request | Response;
    try {
      message = JSON.parse(text) as Request | Response;
    } catch {
      return;
    }
    if (message.t === 'res') {
      this.settle(message);
      return;
    }
    if (message.t === 'req') void this.answer(message);
  }

  private async answer(request: Request): Promise<void> {
    const response: Response = { t: 'res', id: request.id };
    try {
      if (!this.holds(request.kind, request.code) || this.stopping) response.moved = true;
      else {
        const result = await this.runner!.run(request.kind, request.code, request.method, request.args);
        if (result === UNKNOWN) response.unknown = true;
        else response.answer = encodeAnswer(result);
      }
    } catch (error) {
      this.logger.error({ node: this.nodeId, err: error, method: request.method }, 'forwarded request failed');
      response.failed = true;
    }
    await this.redis.publish(nodeChannel(request.from), JSON.stringify(response)).catch(() => {});
  }

  // ---------------------------------------------------------------- the rest

  health(): Record<string, unknown> {
    return {
      node: this.nodeId,
      redis: this.redisReachable && this.redis.status === 'ready' ? 'reachable' : 'unreachable',
      roomsOwned: this.runner?.owned('room').length ?? 0,
      sessionsOwned: this.runner?.owned('session').length ?? 0,
    };
  }

  /** No more claims or scans (the node is stopping); leases are released as things unload. */
  stop(): void {
    this.stopping = true;
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
  }

  /** After unloading (every lease released): tell the other nodes to take what was ours now, not at their next scan. */
  async handedOver(): Promise<void> {
    await this.redis.publish(ALL_NODES, this.nodeId).catch(() => {});
  }

  async close(): Promise<void> {
    this.stop();
    // what this node's closing sockets sent on (their disconnects) reaches the owners first
    await Promise.race([Promise.allSettled([...this.inFlight]), pause(this.config.forwardTimeoutMs)]);
    for (const { timer, resolve } of this.pending.values()) {
      clearTimeout(timer);
      resolve({ t: 'res', id: 0 });
    }
    this.pending.clear();
    await Promise.all([this.redis, this.adapterRedis, this.sub].map((client) => client.quit().catch(() => client.disconnect())));
  }
}

function splitLease(key: string): [OwnedKind, string] {
  const [, , kind, code] = key.split(':');
  return [kind as OwnedKind, code];
}

/** An answer as JSON text; an update inside it that was encoded already is put in as it is. */
function encodeAnswer(answer: unknown): string {
  return answer === undefined ? 'null' : encodeJson(answer);
}
