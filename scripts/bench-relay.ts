// The yardstick of bench:server: a bare socket.io server that only relays. It speaks just enough of the game's
// protocol for the load generator (create, join, play, rematch) with no rules, no state beyond a version per
// room and no clocks: a card is answered { ok, version } and passed on, as it came, to the rest of the room.
// What the refereed server costs on top of this, measured in the same run on the same machine, is what the
// rules engine, the views and the updates cost (the target: at most twice the relay's CPU per move). It uses
// socket.io's stock parser, as a bare relay would (the game server's parser only skips work for its own
// plain-JSON packets).

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';

interface RelayRoom {
  version: number;
  /** socket id of each seat, in the order they came; a rematch swaps them */
  seats: string[];
}

export async function startRelay(): Promise<{ io: Server; port: number; close(): Promise<void> }> {
  const http = createServer();
  const io = new Server(http, { maxHttpBufferSize: 16 * 1024, serveClient: false });
  const rooms = new Map<string, RelayRoom>();
  let made = 0;
  const seatOf = (room: RelayRoom, id: string) => (room.seats[0] === id ? 'A' : room.seats[1] === id ? 'B' : null);
  const view = (code: string, room: RelayRoom) => ({ code, version: room.version, phase: 'playing' });

  io.on('connection', (socket) => {
    socket.on('room:create', (_request: unknown, ack: (reply: unknown) => void) => {
      const code = `R${(made += 1)}`;
      const room: RelayRoom = { version: 0, seats: [socket.id] };
      rooms.set(code, room);
      void socket.join(code);
      ack({ ok: true, role: 'player', seat: 'A', seatToken: null, room: view(code, room) });
    });
    socket.on('room:join', (request: { code: string; spectate?: boolean }, ack: (reply: unknown) => void) => {
      const room = rooms.get(request.code);
      if (!room) return ack({ ok: false, error: { code: 'UNKNOWN_ROOM' } });
      void socket.join(request.code);
      if (!request.spectate) {
        room.seats.push(socket.id);
        room.version += 1;
        socket.to(request.code).emit('room:update', { room: view(request.code, room), timelineFrom: 0, happenings: [], by: null });
      }
      ack({ ok: true, role: request.spectate ? 'spectator' : 'player', seat: request.spectate ? null : 'B', seatToken: null, room: view(request.code, room) });
    });
    socket.on('card:play', (request: { code: string; card: unknown }, ack: (reply: unknown) => void) => {
      const room = rooms.get(request.code);
      if (!room) return ack({ ok: false, error: { code: 'UNKNOWN_ROOM' } });
      room.version += 1;
      socket.to(request.code).emit('room:update', { room: view(request.code, room), timelineFrom: 0, happenings: [], by: seatOf(room, socket.id), card: request.card });
      ack({ ok: true, version: room.version });
    });
    socket.on('room:rematch', (request: { code: string }, ack: (reply: unknown) => void) => {
      const room = rooms.get(request.code);
      if (!room) return ack({ ok: false, error: { code: 'UNKNOWN_ROOM' } });
      room.seats.reverse();
      room.version += 1;
      ack({ ok: true, room: view(request.code, room) });
    });
  });

  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return {
    io,
    port: (http.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => io.close(() => resolve())),
  };
}
