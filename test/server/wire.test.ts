// The server's encoder makes exactly the strings socket.io's stock encoder makes, for every packet it sends.
import { Encoder, PacketType } from 'socket.io-parser';
import { describe, expect, it } from 'vitest';
import { newGame, gameView } from '../../shared/game/index.ts';
import { PreEncodedJson, plainJsonParser } from '../../server/wireParser.ts';

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

  it('sends a pre-encoded value as the very string its plain value makes, as an event, an element or a property', () => {
    const stock = new Encoder();
    const ours = new plainJsonParser.Encoder();
    const game = gameView(newGame({ mission: 'open', seed: 5, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } }));
    const update = { room: { code: 'ABCDEF', nickname: '王小明 "Ada" \\ \u2028', game }, timelineFrom: 2, happenings: [], by: 'A' };
    const encoded = new PreEncodedJson(JSON.stringify(update));
    const cases = [
      [{ type: PacketType.EVENT, nsp: '/', data: ['room:update', encoded] }, { type: PacketType.EVENT, nsp: '/', data: ['room:update', update] }],
      [{ type: PacketType.ACK, nsp: '/', id: 7, data: [{ ok: true, version: 4, update: encoded }] }, { type: PacketType.ACK, nsp: '/', id: 7, data: [{ ok: true, version: 4, update }] }],
      [{ type: PacketType.ACK, nsp: '/', id: 8, data: [{ ok: true, skipped: undefined, update: encoded, version: 4 }] }, { type: PacketType.ACK, nsp: '/', id: 8, data: [{ ok: true, skipped: undefined, update, version: 4 }] }],
      [{ type: PacketType.EVENT, nsp: '/', data: ['x', encoded, undefined, 3, () => 1, Symbol('s')] }, { type: PacketType.EVENT, nsp: '/', data: ['x', update, undefined, 3, () => 1, Symbol('s')] }],
      [{ type: PacketType.ACK, nsp: '/', id: 9, data: [{ f: () => 1, s: Symbol('s'), update: encoded }] }, { type: PacketType.ACK, nsp: '/', id: 9, data: [{ f: () => 1, s: Symbol('s'), update }] }],
    ] as const;
    for (const [withEncoded, plain] of cases) {
      const [text] = ours.encode(withEncoded as never);
      expect(text).toEqual(stock.encode(plain as never)[0]);
      // and it decodes back to the plain value
      expect(JSON.parse((text as string).replace(/^\d+/, ''))).toEqual(JSON.parse(JSON.stringify(plain.data)));
    }
    // deeper than an argument's property it is not looked for: that is refused, not sent wrong
    expect(() => ours.encode({ type: PacketType.EVENT, nsp: '/', data: ['x', { deeper: { update: encoded } }] })).toThrow(/PreEncodedJson/);
  });
});
