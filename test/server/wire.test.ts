// The server's encoder makes exactly the strings socket.io's stock encoder makes, for every packet it sends.
import { Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { newGame, gameView } from '../../shared/game/index.ts';
import { plainJsonParser } from '../../server/wireParser.ts';

describe('the wire encoder', () => {
  it('encodes events and acknowledgements exactly as the stock encoder does', () => {
    const stock = new Encoder();
    const ours = new plainJsonParser.Encoder();
    const game = gameView(newGame({ mission: 'open-send-close', seed: 3, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } }));
    const packets = [
      { type: PacketType.EVENT, nsp: '/', data: ['room:update', { room: { code: 'ABCDEF', game }, happenings: [], by: null }] },
      { type: PacketType.EVENT, nsp: '/admin', data: ['x', 'y "quoted" 飞'] },
      { type: PacketType.ACK, nsp: '/', id: 12, data: [{ ok: true, version: 3 }] },
      { type: PacketType.ACK, nsp: '/', id: 0, data: [{ ok: false, error: { code: 'BAD_PAYLOAD', message: { en: 'a', zh: 'b' } } }] },
      { type: PacketType.CONNECT, nsp: '/', data: { sid: 'abc' } },
      { type: PacketType.DISCONNECT, nsp: '/' },
    ];
    for (const packet of packets) expect(ours.encode(packet)).toEqual(stock.encode(packet));
  });
});
