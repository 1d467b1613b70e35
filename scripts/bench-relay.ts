// The yardstick of bench:server: a bare socket.io server that only relays. It speaks just enough of the game's
// protocol for the load generator (create, join, play, rematch) with no rules, no state beyond a version per
// room and no clocks: a card is answered { ok, version } and passed on, as it came, to the rest of the room.
// What the refereed server costs on top of this, measured in the same run on the same machine, is what the
// rules engine, the views and the updates cost (the target: at most twice the relay's CPU per move). It uses
// socket.io's stock parser, as a bare relay would (the game server's parser only skips work for its own
// plain-JSON packets).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';

interface RelayRoom {
  version: number;
  /** socket id of each seat, in the order they came; a rematch swaps them */
  seats: string[];
}

/**
 * `redisUrl`: one node of a relay on socket.io's Redis streams adapter, configured as the game's nodes
 * configure it (bench:cluster's yardstick). A room then lives on every node its players are on: a node that
 * hears of a code first from a join makes its own entry, and a card's version is one more than the highest
 * either the node or the player has seen, so the two nodes agree without sharing anything but the updates.
 */
export async function startRelay(options: { redisUrl?: string } = {}): Promise<{ io: Server; port: number; close(): Promise<void> }> {
  const http = createServer();
  const redis = options.redisUrl ? new Redis(options.redisUrl) : null;
  const io = new Server(http, {
    maxHttpBufferSize: 16 * 1024,
    serveClient: false,
    ...(redis ? { adapter: createAdapter(redis, { onlyPlaintext: true, heartbeatInterval: 1000, heartbeatTimeout: 3000 }) as never } : {}),
  });
  const rooms = new Map<string, RelayRoom>();
  let made = 0;
  const seatOf = (room: RelayRoom, id: string) => (room.seats[0] === id ? 'A' : room.seats[1] === id ? 'B' : null);
  const view = (code: string, room: RelayRoom) => ({ code, version: room.version, phase: 'playing' });

  // on the adapter: a node names its rooms after itself (codes are unique in the cluster), keeps both seats'
  // places (a seat whose socket is on another node is ''), and a rematch swaps the seats on every node
  const prefix = redis ? `R${Math.random().toString(36).slice(2, 8)}-` : 'R';
  const swap = (code: string) => rooms.get(code)?.seats.reverse();
  if (redis) io.on('relay:swap', (code: string) => swap(code));
  io.on('connection', (socket) => {
    socket.on('room:create', (_request: unknown, ack: (reply: unknown) => void) => {
      const code = `${prefix}${(made += 1)}`;
      const room: RelayRoom = { version: 0, seats: redis ? [socket.id, ''] : [socket.id] };
      rooms.set(code, room);
      void socket.join(code);
      ack({ ok: true, role: 'player', seat: 'A', seatToken: null, room: view(code, room) });
    });
    socket.on('room:join', (request: { code: string; spectate?: boolean }, ack: (reply: unknown) => void) => {
      if (redis && !rooms.has(request.code)) rooms.set(request.code, { version: 0, seats: ['', ''] });
      const room = rooms.get(request.code);
      if (!room) return ack({ ok: false, error: { code: 'UNKNOWN_ROOM' } });
      void socket.join(request.code);
      if (!request.spectate) {
        if (redis) room.seats[1] = socket.id;
        else room.seats.push(socket.id);
        room.version += 1;
        socket.to(request.code).emit('room:update', { room: view(request.code, room), timelineFrom: 0, happenings: [], by: null });
      }
      ack({ ok: true, role: request.spectate ? 'spectator' : 'player', seat: request.spectate ? null : 'B', seatToken: null, room: view(request.code, room) });
    });
    socket.on('card:play', (request: { code: string; card: unknown; version?: number }, ack: (reply: unknown) => void) => {
      const room = rooms.get(request.code);
      if (!room) return ack({ ok: false, error: { code: 'UNKNOWN_ROOM' } });
      room.version = (redis && typeof request.version === 'number' ? Math.max(room.version, request.version) : room.version) + 1;
      socket.to(request.code).emit('room:update', { room: view(request.code, room), timelineFrom: 0, happenings: [], by: seatOf(room, socket.id), card: request.card });
      ack({ ok: true, version: room.version });
    });
    socket.on('room:rematch', (request: { code: string }, ack: (reply: unknown) => void) => {
      const room = rooms.get(request.code);
      if (!room) return ack({ ok: false, error: { code: 'UNKNOWN_ROOM' } });
      swap(request.code);
      if (redis) io.serverSideEmit('relay:swap' as never, request.code as never);
      room.version += 1;
      ack({ ok: true, room: view(request.code, room) });
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    io,
    port: (http.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => io.close(() => resolve())).then(() => {
        redis?.disconnect();
      }),
  };
}
