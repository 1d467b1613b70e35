// The class events at the socket door: each with the schema its payload must pass first, and the join limit
// for the events that look a session up by a code or a secret (guessing them drains the bucket fast).
import type { z } from 'zod';
import { classError } from '../../shared/i18n/errors.ts';
import {
  createSessionSchema,
  hostSessionSchema,
  joinSessionSchema,
  lockSessionSchema,
  removePlayerSchema,
  renamePlayerSchema,
  sessionOnlySchema,
  startRoundSchema,
  watchSessionSchema,
  type ClassAck,
  type PlayerJoined,
} from '../../shared/protocol/class.ts';
import type { KeyedLimiter } from '../rateLimit.ts';
import type { SessionRegistry } from './registry.ts';
import { NO_ANSWER, UNKNOWN } from '../cluster/cluster.ts';

export interface ClassSocket {
  id: string;
  data: { address: string; classes: Set<string>; classTokens: Record<string, string> };
}

export interface ClassHandler {
  schema: z.ZodType;
  run: (socket: ClassSocket, payload: never) => Promise<ClassAck<object>>;
}

/** A socket may host, watch or play in a few sessions at once, not in hundreds. */
const MAX_SESSIONS_PER_SOCKET = 8;
const FAILED_LOOKUP_COST = 5;

/**
 * The socket keeps the token it plays a session with (a node that takes the session over seats the player by
 * it); only for the sessions the socket is still in, so a socket that comes and goes keeps a few at most.
 */
function keepToken(socket: ClassSocket, code: string, token: string): void {
  const kept = socket.data.classTokens;
  for (const other of Object.keys(kept)) if (other !== code && !socket.data.classes.has(other)) delete kept[other];
  kept[code] = token;
}

/** Runs a session's method (by name, with the socket's id first) wherever the session runs; UNKNOWN / NO_ANSWER otherwise. */
export type SessionCall = (code: string, method: string, args: unknown[]) => Promise<unknown>;

export function classHandlers(registry: SessionRegistry, joinLimiter: KeyedLimiter, call: SessionCall): Record<string, ClassHandler> {
  const limited = () => ({ ok: false as const, error: classError('RATE_LIMITED') });
  const unknown = () => ({ ok: false as const, error: classError('UNKNOWN_SESSION') });

  /** For the events that open a way into a session: the join limit, the per-socket cap, an unknown code's cost. */
  /** The session's answer to `method`, or UNKNOWN_SESSION / NOT_ANSWERED. */
  async function ask<T extends object>(code: string, method: string, args: unknown[]): Promise<ClassAck<T>> {
    let answer: unknown;
    try {
      answer = await call(code, method, args);
    } catch (error) {
      // a cluster node that cannot reach Redis decides nothing: the change was not made
      if ((error as { code?: unknown } | null)?.code === 'STORE_WRITE_FAILED') return { ok: false, error: classError('NOT_SAVED') };
      throw error;
    }
    if (answer === UNKNOWN) return unknown();
    if (answer === NO_ANSWER) return { ok: false, error: classError('NOT_ANSWERED') };
    return answer as ClassAck<T>;
  }

  async function entry<T extends object>(socket: ClassSocket, code: string, method: string, args: unknown[]): Promise<ClassAck<T>> {
    const address = socket.data.address;
    if (!joinLimiter.take(address)) return limited();
    const classes = socket.data.classes;
    if (!classes.has(code) && classes.size >= MAX_SESSIONS_PER_SOCKET) return limited();
    const reply = await ask<T>(code, method, args);
    if (!reply.ok && reply.error.code === 'UNKNOWN_SESSION') joinLimiter.charge(address, FAILED_LOOKUP_COST);
    if (!reply.ok && (reply.error.code === 'BAD_HOST_KEY' || reply.error.code === 'BAD_PLAYER_TOKEN')) {
      joinLimiter.charge(address, FAILED_LOOKUP_COST);
    }
    return reply;
  }

  /** For everything else: the session must exist; the session checks who the socket is. */
  const within = <T extends object>(code: string, method: string, args: unknown[]) => ask<T>(code, method, args);

  return {
    'class:create': {
      schema: createSessionSchema,
      run: async (socket, request: z.output<typeof createSessionSchema>) => {
        if (!joinLimiter.take(socket.data.address)) return limited();
        if (socket.data.classes.size >= MAX_SESSIONS_PER_SOCKET) return limited();
        if (registry.full) return { ok: false, error: classError('SERVER_FULL') };
        const made = await registry.create(request.mode);
        if (!made) return { ok: false, error: classError('NOT_SAVED') };
        return made.session.host(socket.id, made.hostKey);
      },
    },
    'class:host': {
      schema: hostSessionSchema,
      run: (socket, r: z.output<typeof hostSessionSchema>) => entry(socket, r.code, 'host', [socket.id, r.hostKey]),
    },
    'class:watch': {
      schema: watchSessionSchema,
      run: (socket, r: z.output<typeof watchSessionSchema>) => entry(socket, r.code, 'watch', [socket.id, r.viewKey]),
    },
    'class:join': {
      schema: joinSessionSchema,
      run: async (socket, r: z.output<typeof joinSessionSchema>) => {
        const { code, ...who } = r;
        const reply = await entry<PlayerJoined>(socket, code, 'join', [socket.id, who]);
        if (reply.ok) keepToken(socket, code, reply.playerToken);
        return reply;
      },
    },
    'class:leave': {
      schema: sessionOnlySchema,
      run: (socket, r: z.output<typeof sessionOnlySchema>) => within(r.code, 'leave', [socket.id]),
    },
    'class:rename': {
      schema: renamePlayerSchema,
      run: (socket, r: z.output<typeof renamePlayerSchema>) => within(r.code, 'rename', [socket.id, r.playerId, r.nickname]),
    },
    'class:remove': {
      schema: removePlayerSchema,
      run: (socket, r: z.output<typeof removePlayerSchema>) => within(r.code, 'remove', [socket.id, r.playerId]),
    },
    'class:lock': {
      schema: lockSessionSchema,
      run: (socket, r: z.output<typeof lockSessionSchema>) => within(r.code, 'lock', [socket.id, r.locked]),
    },
    'class:start': {
      schema: startRoundSchema,
      run: (socket, r: z.output<typeof startRoundSchema>) => within(r.code, 'start', [socket.id, r]),
    },
    'class:stop': {
      schema: sessionOnlySchema,
      run: (socket, r: z.output<typeof sessionOnlySchema>) => within(r.code, 'stop', [socket.id]),
    },
    'class:csvToken': {
      schema: sessionOnlySchema,
      run: (socket, r: z.output<typeof sessionOnlySchema>) => within(r.code, 'csvToken', [socket.id]),
    },
    'class:end': {
      schema: sessionOnlySchema,
      run: (socket, r: z.output<typeof sessionOnlySchema>) => within(r.code, 'end', [socket.id]),
    },
  };
}
