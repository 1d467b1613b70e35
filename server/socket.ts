// The socket layer: socket.io on the HTTP server, and the one door every client message goes through —
// rate limit, schema, room, then the room's queue. Nothing a client sends can throw past this file: every
// handler is wrapped, every payload is parsed first, and a missing acknowledgement callback is tolerated.

import type { Server as HttpServer, IncomingMessage } from 'node:http';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { z } from 'zod';
import { CONNECTION_LIMITED, protocolError } from '../shared/i18n/errors.ts';
import type { Card } from '../shared/game/types.ts';
import {
  MAX_PAYLOAD_BYTES,
  createRoomSchema,
  joinRoomSchema,
  playCardSchema,
  quizAnswerSchema,
  roomOnlySchema,
  type Ack,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../shared/protocol/events.ts';
import {
  type ClassClientToServerEvents,
  type ClassServerToClientEvents,
} from '../shared/protocol/class.ts';
import { classHandlers } from './class/handlers.ts';
import type { ResultsLookup } from './class/routes.ts';
import { SessionRegistry } from './class/registry.ts';
import type { ClassHub, FoundMember, SessionPart } from './class/session.ts';
import type { ServerConfig } from './config.ts';
import { Lobby } from './lobby.ts';
import { KeyedLimiter, TokenBucket } from './rateLimit.ts';
import type { Clock } from './room/clocks.ts';
import type { Hub } from './room/room.ts';
import type { StateStore } from './store/stateStore.ts';
import { PreEncodedJson, plainJsonParser } from './wireParser.ts';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { NO_ANSWER, UNKNOWN, type Cluster, type LocalRunner } from './cluster/cluster.ts';
import type { OwnedKind } from './cluster/ownership.ts';
import { isStoreWriteError, type Member } from './room/room.ts';

interface SocketData {
  address: string;
  /**
   * codes of the rooms this socket is a member of: read from the socket.io rooms it is in (the room's code),
   * which the node that runs the room sets, on this node or from another one through the adapter
   */
  readonly rooms: Set<string>;
  /** codes of the class sessions this socket hosts, watches or plays in (socket.io rooms "c:CODE") */
  readonly classes: Set<string>;
  /**
   * the player token this socket joined each class session with (session code → token): kept by the socket,
   * as the player's phone keeps it, so that a node that takes the session over can seat the player in the
   * next round without asking them (sent with the socket's data when that node looks for the session's people)
   */
  classTokens: Record<string, string>;
}

/** The socket.io rooms a room member is in besides the room's code: its role and seat, for a take-over to find. */
const memberTags = (code: string) => [`m:${code}:A`, `m:${code}:B`, `m:${code}:S`];
const memberTag = (code: string, member: Member) => `m:${code}:${member.role === 'player' && member.seat ? member.seat : 'S'}`;
const classTag = (code: string) => `c:${code}`;
/** The socket.io room that says what a socket is in a session (host, viewer, player:ID), for a take-over to find. */
const partTag = (code: string, part: SessionPart) => `cp:${code}:${part}`;
/** How long a take-over goes on looking for members that its first look-up could not find (see adoptMembers). */
const LOOKUP_FOR_MS = 60_000;

/** What a room's or session's node may be asked to run for a socket (also by another node, so a closed list). */
const ROOM_CALLS = new Set(['join', 'leave', 'resync', 'rematch', 'play', 'hint', 'quiz', 'disconnect']);
const SESSION_CALLS = new Set(['host', 'watch', 'join', 'leave', 'rename', 'remove', 'lock', 'start', 'stop', 'csvToken', 'end', 'disconnect', 'download']);

type C2S = ClientToServerEvents & ClassClientToServerEvents;
type S2C = ServerToClientEvents & ClassServerToClientEvents;
type IoServer = Server<C2S, S2C, Record<string, never>, SocketData>;
type IoSocket = Socket<C2S, S2C, Record<string, never>, SocketData>;
type AnyAck = Ack<object>;

/** A socket may watch or play in a few rooms at once (a teacher's screen), not in hundreds. */
const MAX_ROOMS_PER_SOCKET = 8;
/** Events refused for rate in a row before the socket is cut off. */
const MAX_REFUSED_IN_A_ROW = 300;
/** A failed join (unknown room, wrong token) costs this many join tokens: guessing codes drains the bucket fast. */
const FAILED_JOIN_COST = 5;

export interface SocketLayer {
  io: IoServer;
  lobby: Lobby;
  sessions: SessionRegistry;
  /** in a cluster: runs what other nodes forward here, and what this node takes over */
  runner: LocalRunner;
  /** the results CSV of a session for the HTTP route, asked wherever the session runs (server/class/routes.ts) */
  results: ResultsLookup;
  /** loads every stored session and room (after a restart), then starts the idle sweeps */
  resume(): Promise<{ rooms: number; sessions: number }>;
  /** lets go of every session and room (their queues finish first; their records stay as committed) */
  unload(): Promise<void>;
  /** closes the sockets (and socket.io's HTTP server with them) */
  close(): Promise<void>;
}

export function attachSockets(
  httpServer: HttpServer,
  deps: { config: ServerConfig; logger: Logger; store: StateStore; clock: Clock; cluster?: Cluster },
): SocketLayer {
  const { config, logger, store, clock, cluster } = deps;
  const origins = new Set(config.origins);

  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_PAYLOAD_BYTES,
    serveClient: false,
    parser: plainJsonParser,
    cors: origins.size > 0 ? { origin: [...origins] } : undefined,
    // several nodes: broadcasts, joins and leaves reach sockets on every node through Redis streams
    ...(cluster
      ? {
          adapter: createAdapter(cluster.adapterRedis, {
            onlyPlaintext: true,
            // a dead node is forgotten quickly, so looking for a room's members after a take-over does not wait for it
            heartbeatInterval: 1000,
            heartbeatTimeout: 3000,
          }) as never,
        }
      : {}),
    allowRequest: (req: IncomingMessage, callback) => {
      const origin = req.headers.origin;
      // non-browser clients send no Origin; a browser on another site is refused where origins are configured
      const allowed = origins.size === 0 || origin === undefined || origins.has(origin);
      if (!allowed) logger.warn({ origin }, 'origin refused');
      callback(null, allowed);
    },
  });

  // The adapter sends what crosses nodes as JSON it makes itself: an update encoded once for this node's
  // sockets goes as the value it stands for.
  const onWire = (payload: unknown) => (cluster && payload instanceof PreEncodedJson ? JSON.parse(payload.json) : payload);
  /** A socket of this node, or (in a cluster) wherever it is: socket.io's room named by its id. */
  const toOne = (socketId: string) => (cluster ? io.to(socketId) : io.sockets.sockets.get(socketId));
  const hub: Hub = {
    toRoom(code: string, event: 'room:update' | 'room:presence', payload: never, except?: string) {
      // a socket.io room per socket id: except(id) leaves that one socket out
      if (except) io.to(code).except(except).emit(event, onWire(payload) as never);
      else io.to(code).emit(event, onWire(payload) as never);
    },
    toSocket(socketId: string, event: 'room:you' | 'room:evicted', payload: never) {
      toOne(socketId)?.emit(event, payload);
    },
    join(socketId: string, code: string, member?: Member) {
      // io.in(id): the socket on this node at once, or on its node through the adapter
      if (cluster) io.in(socketId).socketsLeave(memberTags(code));
      io.in(socketId).socketsJoin(cluster && member ? [code, memberTag(code, member)] : code);
    },
    leave(socketId: string, code: string) {
      io.in(socketId).socketsLeave(cluster ? [code, ...memberTags(code)] : code);
    },
  } as Hub;

  const lobby = new Lobby(hub, store, config, logger, clock, cluster);
  /** The sockets in a socket.io room on every node (their ids, rooms and data); null if a node did not answer within `ms`. */
  const ask = async (name: string, ms: number) => {
    try {
      return await io.in(name).timeout(ms).fetchSockets();
    } catch {
      return null;
    }
  };
  type Found = NonNullable<Awaited<ReturnType<typeof ask>>>;

  /**
   * A room or session this node took over adopts its members, found on every node by the socket.io rooms of
   * their sockets. The first look-up runs on the thing's queue, so no request is judged before it; it waits
   * config.memberLookupMs for every node to answer. A node may not answer in time: right after a node died the
   * adapter still counts it until its heartbeat times out (3 s), and a loaded node answers late. Then the
   * look-up goes on in the background, each try waiting twice as long as the one before (up to 8×), for
   * LOOKUP_FOR_MS, and whoever it finds is adopted then: nobody has to rejoin for a node that was slow.
   */
  function adoptMembers(
    name: string,
    what: Record<string, string>,
    stillHere: () => boolean,
    adopt: (find: () => Promise<Found>) => Promise<void>,
  ): void {
    const base = config.memberLookupMs;
    const node = cluster?.nodeId;
    let found = true;
    const first = adopt(async () => {
      const sockets = await ask(name, base);
      if (sockets) return sockets;
      found = false;
      logger.info({ node, ...what, waitedMs: base }, 'members not found yet: a node did not answer; asking again');
      return [];
    });
    void first
      .then(async () => {
        const until = Date.now() + LOOKUP_FOR_MS;
        for (let wait = 2 * base; !found && stillHere() && Date.now() < until; wait = Math.min(8 * base, 2 * wait)) {
          const sockets = await ask(name, wait);
          if (!sockets) {
            logger.info({ node, ...what, waitedMs: wait }, 'members not found yet: a node did not answer; asking again');
            continue;
          }
          found = true;
          if (stillHere()) await adopt(async () => sockets);
        }
        if (!found) logger.warn({ node, ...what }, 'members not found after take-over: they rejoin by their tokens');
      })
      .catch((error: unknown) => logger.error({ node, ...what, err: error }, 'members not adopted'));
  }
  // a room this node took over: its members on every node (the rooms their sockets are in say who) are its members again
  if (cluster) {
    lobby.loaded = async (room) => {
      const code = room.code;
      adoptMembers(code, { room: code }, () => lobby.peek(code) === room, (find) =>
        room.adopt(async () =>
          (await find()).flatMap((socket) => {
            const tag = [...socket.rooms].find((name) => name.startsWith(`m:${code}:`));
            if (!tag) return [];
            const which = tag.slice(-1);
            return [{ socketId: socket.id, role: which === 'S' ? ('spectator' as const) : ('player' as const), seat: which === 'S' ? null : (which as 'A' | 'B') }];
          }),
        ),
      );
    };
  }
  const joinLimiter = new KeyedLimiter(config.joinLimit);
  const connectLimiter = new KeyedLimiter(config.connectLimit);
  const limiterSweep = setInterval(() => {
    joinLimiter.sweep();
    connectLimiter.sweep();
  }, 60_000);
  limiterSweep.unref();

  const feedChannel = (code: string) => `class:${code}:feed`;
  const classHub: ClassHub = {
    toFeed(code, feed) {
      io.to(feedChannel(code)).emit('class:feed', feed);
    },
    toSocket(socketId: string, event: 'class:you' | 'class:evicted', payload: never) {
      toOne(socketId)?.emit(event, payload);
    },
    joinFeed(socketId, code) {
      io.in(socketId).socketsJoin(feedChannel(code));
    },
    leaveFeed(socketId, code) {
      io.in(socketId).socketsLeave(feedChannel(code));
    },
    enter(socketId, code, part) {
      io.in(socketId).socketsJoin([classTag(code), partTag(code, part)]);
    },
    exit(socketId, code, parts, whole) {
      const names = parts.map((part) => partTag(code, part));
      io.in(socketId).socketsLeave(whole ? [classTag(code), ...names] : names);
    },
  } as ClassHub;
  const sessions = new SessionRegistry({
    hub: classHub,
    lobby,
    store,
    logger,
    clock,
    idleMs: config.idleMs,
    sweepMs: config.sweepMs,
    maxSessions: config.maxSessions,
    ownership: cluster,
  });
  // a session this node took over: its host, projectors and players on every node (their sockets' parts say who)
  if (cluster) {
    sessions.loaded = (session) => {
      const code = session.code;
      const prefix = `cp:${code}:`;
      adoptMembers(classTag(code), { session: code }, () => sessions.peek(code) === session, (find) =>
        session.adopt(async () =>
          (await find()).map((socket): FoundMember => {
            const parts = [...socket.rooms].filter((name) => name.startsWith(prefix)).map((name) => name.slice(prefix.length) as SessionPart);
            const token = (socket.data as Partial<SocketData> | undefined)?.classTokens?.[code];
            return { socketId: socket.id, parts, token: typeof token === 'string' ? token : undefined };
          }),
        ),
      );
    };
  }

  /** Runs a request on the room or session here (loading it if this process may): what other nodes forward too. */
  const runner: LocalRunner = {
    async run(kind: OwnedKind, code: string, method: string, args: unknown[]) {
      const target = kind === 'room' ? await lobby.get(code) : await sessions.get(code);
      if (!target) return UNKNOWN;
      if (method === 'touch') return null;
      if (!(kind === 'room' ? ROOM_CALLS : SESSION_CALLS).has(method)) throw new Error(`no such call: ${kind}.${method}`);
      return (target as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[method](...args);
    },
    async drop(kind, code) {
      if (kind === 'room') await lobby.drop(code);
      else await sessions.drop(code);
    },
    owned: (kind) => (kind === 'room' ? lobby.codes() : sessions.codes()),
  };
  /** A request about a room or session, run wherever it runs: here, or (in a cluster) on the node that owns it. */
  const call = async (kind: OwnedKind, code: string, method: string, args: unknown[]): Promise<unknown> =>
    cluster ? cluster.route(kind, code, method, args) : runner.run(kind, code, method, args);
  const notAnswered = () => ({ ok: false as const, error: protocolError('NOT_ANSWERED') });
  /** A room's answer, or UNKNOWN_ROOM / NOT_ANSWERED. */
  const roomCall = async (code: string, method: string, args: unknown[]): Promise<AnyAck> => {
    let answer: unknown;
    try {
      answer = await call('room', code, method, args);
    } catch (error) {
      // a cluster node that cannot reach Redis decides nothing: the change was not made
      if (isStoreWriteError(error)) return { ok: false, error: protocolError('NOT_SAVED') };
      throw error;
    }
    if (answer === UNKNOWN) return unknownRoom();
    if (answer === NO_ANSWER) return notAnswered();
    return answer as AnyAck;
  };

  function unknownRoom() {
    return { ok: false as const, error: protocolError('UNKNOWN_ROOM') };
  }
  /** A handler for a request about one room: the call the room named by the payload's code runs (see ROOM_CALLS). */
  const inRoom = <S extends z.ZodType<{ code: string }>>(
    schema: S,
    act: (socket: IoSocket, request: z.output<S>, answered: boolean) => [method: string, args: unknown[]],
  ) => ({
    schema,
    run: async (socket: IoSocket, request: z.output<S>, answered: boolean): Promise<AnyAck> => {
      const [method, args] = act(socket, request, answered);
      return roomCall(request.code, method, args);
    },
  });

  /**
   * The handlers, each with the schema its payload must pass first. `answered`: the client sent an
   * acknowledgement callback (an accepted card's update then goes in the answer, not as an event).
   */
  const handlers: Record<string, { schema: z.ZodType; run: (socket: IoSocket, payload: never, answered: boolean) => Promise<AnyAck> }> = {
    'room:create': {
      schema: createRoomSchema,
      run: async (socket, request: z.output<typeof createRoomSchema>) => {
        if (!joinLimiter.take(socket.data.address)) return { ok: false, error: protocolError('RATE_LIMITED') };
        if (socket.data.rooms.size >= MAX_ROOMS_PER_SOCKET) return { ok: false, error: protocolError('RATE_LIMITED') };
        return lobby.create(socket.id, request);
      },
    },
    'room:join': {
      schema: joinRoomSchema,
      run: async (socket, request: z.output<typeof joinRoomSchema>) => {
        const address = socket.data.address;
        if (!joinLimiter.take(address)) return { ok: false, error: protocolError('RATE_LIMITED') };
        const rooms = socket.data.rooms;
        if (!rooms.has(request.code) && rooms.size >= MAX_ROOMS_PER_SOCKET) {
          return { ok: false, error: protocolError('RATE_LIMITED') };
        }
        const reply = await roomCall(request.code, 'join', [
          socket.id,
          { nickname: request.nickname, seatToken: request.seatToken, spectate: request.spectate, seat: request.seat },
        ]);
        if (!reply.ok && reply.error.code === 'UNKNOWN_ROOM') {
          joinLimiter.charge(address, FAILED_JOIN_COST);
          logger.debug({ code: 'UNKNOWN_ROOM' }, 'join refused');
        }
        if (!reply.ok && reply.error.code === 'BAD_SEAT_TOKEN') joinLimiter.charge(address, FAILED_JOIN_COST);
        return reply;
      },
    },
    'room:leave': inRoom(roomOnlySchema, (socket) => ['leave', [socket.id]]),
    'room:resync': inRoom(roomOnlySchema, (socket) => ['resync', [socket.id]]),
    'room:rematch': inRoom(roomOnlySchema, (socket) => ['rematch', [socket.id]]),
    // The schema checked the card's structure only; the referee (playCard, which takes any value) judges the
    // values and refuses, with its explanation, what is not a card (shared/game/limits.ts).
    'card:play': inRoom(playCardSchema, (socket, request, answered) => ['play', [socket.id, request.version, request.card as Card, answered]]),
    'hint:ask': inRoom(roomOnlySchema, (socket) => ['hint', [socket.id]]),
    'quiz:answer': inRoom(quizAnswerSchema, (socket, request) => ['quiz', [socket.id, request.version, request.state]]),
    ...(classHandlers(sessions, joinLimiter, (code, method, args) => call('session', code, method, args)) as unknown as typeof handlers),
  };

  // new connections per address: a reconnect storm or a script opening sockets in a loop is refused with a
  // connect_error (its data says why, in both languages) before any per-socket state is made
  io.use((socket, next) => {
    const address = addressOf(socket, config.trustProxy);
    if (connectLimiter.take(address)) {
      next();
      return;
    }
    logger.warn({ address }, 'connection refused: rate');
    const error = new Error(CONNECTION_LIMITED.message.en) as Error & { data?: unknown };
    error.data = CONNECTION_LIMITED;
    next(error);
  });

  io.on('connection', (rawSocket) => {
    const socket = rawSocket as IoSocket;
    socket.data.address = addressOf(socket, config.trustProxy);
    socket.data.classTokens = {};
    // read, never kept: the socket.io rooms the socket is in are the one record of its memberships (set by
    // whichever node runs the room or session); not enumerable, so they are not sent along with the socket's data
    Object.defineProperties(socket.data, {
      rooms: { get: () => new Set([...socket.rooms].filter((name) => name !== socket.id && !name.includes(':'))) },
      classes: { get: () => new Set([...socket.rooms].filter((name) => name.startsWith('c:')).map((name) => name.slice(2))) },
    });
    const bucket = new TokenBucket(config.eventLimit);
    let refusedInARow = 0;

    // every incoming event, known or not, spends a token first
    socket.use((packet, next) => {
      if (bucket.take()) {
        refusedInARow = 0;
        next();
        return;
      }
      refusedInARow += 1;
      reply(packet[packet.length - 1], { ok: false, error: protocolError('RATE_LIMITED') }, logger);
      if (refusedInARow === 1) logger.warn({ socket: socket.id }, 'rate limited');
      if (refusedInARow >= MAX_REFUSED_IN_A_ROW) {
        logger.warn({ socket: socket.id }, 'flood: disconnected');
        socket.disconnect(true);
      }
    });

    for (const [event, handler] of Object.entries(handlers)) {
      socket.on(event as keyof C2S, (...args: unknown[]) => {
        const ack = typeof args[args.length - 1] === 'function' ? args.pop() : undefined;
        void handle(event, handler, socket, args[0], ack);
      });
    }
    // an event nobody handles still gets an answer, if it asked for one
    socket.onAny((event: unknown, ...args: unknown[]) => {
      // own keys only: 'constructor' or 'toString' are in every object, and would go unanswered
      if (typeof event === 'string' && Object.hasOwn(handlers, event)) return;
      reply(args[args.length - 1], { ok: false, error: protocolError('BAD_PAYLOAD') }, logger);
    });

    // 'disconnecting': the socket is still in its rooms, which say what it was a member of
    socket.on('disconnecting', (reason) => {
      // only what is running (in a cluster: wherever it runs); a disconnect never loads anything
      const gone = (kind: OwnedKind, code: string) => {
        const local = kind === 'room' ? lobby.peek(code) : sessions.peek(code);
        const done = local ? local.disconnect(socket.id) : cluster ? cluster.route(kind, code, 'disconnect', [socket.id]) : null;
        done?.catch((error: unknown) => logger.error({ err: error, [kind]: code }, 'disconnect failed'));
      };
      for (const code of socket.data.classes) gone('session', code);
      logger.debug({ socket: socket.id, reason }, 'disconnected');
      for (const code of socket.data.rooms) gone('room', code);
    });
  });

  async function handle(
    event: string,
    handler: (typeof handlers)[string],
    socket: IoSocket,
    payload: unknown,
    ack: unknown,
  ): Promise<void> {
    let answer: AnyAck;
    try {
      const parsed = handler.schema.safeParse(payload);
      if (!parsed.success) {
        answer = { ok: false, error: protocolError('BAD_PAYLOAD') };
      } else {
        answer = await handler.run(socket, parsed.data as never, typeof ack === 'function');
      }
    } catch (error) {
      logger.error({ err: error, event }, 'handler failed');
      answer = { ok: false, error: protocolError('INTERNAL') };
    }
    if (!answer.ok) logger.debug({ event, code: answer.error.code }, 'refused');
    reply(ack, answer, logger);
  }

  const results: ResultsLookup = async (code, hostKey, token) => {
    let answer: unknown;
    try {
      answer = await call('session', code, 'download', [hostKey, token]);
    } catch (error) {
      if (isStoreWriteError(error)) return 'unavailable';
      throw error;
    }
    if (answer === UNKNOWN) return 'unknown';
    if (answer === NO_ANSWER) return 'unavailable';
    return answer === null ? 'forbidden' : (answer as { csv: string });
  };

  return {
    io,
    lobby,
    sessions,
    runner,
    results,
    async resume() {
      if (cluster) {
        // a cluster node takes what no node runs now (and keeps looking, for nodes that die later)
        lobby.start();
        sessions.start();
        await cluster.start(runner);
        return { rooms: lobby.size, sessions: sessions.size };
      }
      // sessions first: each loads its pairs' rooms and follows them again; then the other rooms
      const resumedSessions = await sessions.resumeAll();
      const rooms = await lobby.resumeAll();
      lobby.start();
      sessions.start();
      return { rooms, sessions: resumedSessions };
    },
    async unload() {
      await sessions.close();
      await lobby.close();
    },
    async close() {
      clearInterval(limiterSweep);
      await sessions.close();
      await lobby.close();
      await new Promise<void>((resolve) => {
        io.close(() => resolve());
      });
    },
  };
}

/** Answer through the acknowledgement callback if the client sent one; never throw (an answer that cannot be encoded is logged). */
function reply(ack: unknown, answer: AnyAck, logger?: Logger): void {
  if (typeof ack !== 'function') return;
  try {
    ack(answer);
  } catch (error) {
    logger?.error({ err: error }, 'answer not sent');
  }
}

/**
 * The key of the per-address join limit. Behind a proxy (trustProxy) it is the last X-Forwarded-For entry,
 * the one our proxy appended: the entries before it are whatever the client wrote, a new one per socket if
 * it likes. An IPv6 address counts by its /64, which one host usually holds whole.
 */
export function addressOf(socket: Pick<Socket, 'handshake'>, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = socket.handshake.headers['x-forwarded-for'];
    const header = Array.isArray(forwarded) ? forwarded.join(',') : forwarded;
    const last = header?.split(',').pop()?.trim();
    if (last) return limitKey(last);
  }
  return limitKey(socket.handshake.address || 'unknown');
}

/** An IPv4 address (also written ::ffff:a.b.c.d) as it is; an IPv6 address by its first four groups (its /64). */
export function limitKey(address: string): string {
  const text = address.trim().toLowerCase().replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!text.includes(':')) return text;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (mapped) return mapped[1];
  const [head, tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = Math.max(0, 8 - left.length - right.length);
  const groups = tail === undefined ? left : [...left, ...Array<string>(missing).fill('0'), ...right];
  return `${groups
    .slice(0, 4)
    .map((g) => (g || '0').replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
