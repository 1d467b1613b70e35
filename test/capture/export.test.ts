// A game as a pcapng file, checked by this project's reader and by the real tshark: valid frames and
// checksums, the game's segments in order, Wireshark's analysis flags only where the game really sent
// something twice (or a wrong card), and comments that say what happened, in the game's language.
import { describe, expect, it } from 'vitest';
import { exportedPackets, gameToPcapng, GAME_ENDPOINTS, type ExportedPacket } from '../../shared/capture/fromGame.ts';
import { readCapture } from '../../shared/capture/file.ts';
import { decodeTcp } from '../../shared/capture/frames.ts';
import { MISSIONS } from '../../shared/game/index.ts';
import type { GameState } from '../../shared/game/types.ts';
import { seqAdd, seqGt, seqLt } from '../../shared/tcp/seq.ts';
import { sequenceSpace } from '../../shared/tcp/segment.ts';
import { playedGame } from './games.ts';
import { hasTshark, tshark } from './tshark.ts';

const FLAG_BITS = { URG: 32, ACK: 16, PSH: 8, RST: 4, SYN: 2, FIN: 1 } as const;
const bitsOf = (flags: readonly string[]) => flags.reduce((bits, flag) => bits | FLAG_BITS[flag as keyof typeof FLAG_BITS], 0);
const START = Date.UTC(2026, 2, 1, 9, 0, 0);

const GAMES: Array<[string, () => GameState]> = [
  ['a clean open, send, close', () => playedGame()],
  ['a lossy network (seed 3)', () => playedGame({ faults: { loss: 0.3, duplicate: 0.3, reorder: 0 }, seed: 3 })],
  ['a lossy, duplicating, reordering network (seed 11)', () => playedGame({ faults: { loss: 0.25, duplicate: 0.25, reorder: 0.25 }, seed: 11 })],
  ['a lossy, duplicating, reordering network (seed 29)', () => playedGame({ faults: { loss: 0.25, duplicate: 0.25, reorder: 0.25 }, seed: 29 })],
  ['an erring bot in hard mode', () => playedGame({ policy: { A: { kind: 'erring', errorRate: 0.5 }, B: { kind: 'correct' } }, seed: 5, difficulty: 'hard' })],
  ...Object.keys(MISSIONS).map((mission): [string, () => GameState] => [`level ${mission}`, () => playedGame({ mission })]),
];

/**
 * Where Wireshark may raise an analysis flag, worked out from the game alone: a packet the game sent twice (a
 * retransmission, the same answer again, a network copy); one that sends sequence space its end already sent
 * (after a wrong card with that sequence number, or a level's old duplicate SYN); an ACK that acknowledges
 * nothing new (the answer to a retransmission: a duplicate ACK); a new SYN on the ports of an earlier one
 * (a level's old duplicate); and anything once a wrong card has been played.
 */
function mayBeFlagged(packets: ExportedPacket[]): boolean[] {
  const sentUpTo: Record<string, number | undefined> = {};
  const ackedUpTo: Record<string, number | undefined> = {};
  const synSeqs: Record<string, Set<number>> = { A: new Set(), B: new Set() };
  const seenWrong = { A: false, B: false };
  return packets.map((packet) => {
    const s = packet.segment;
    const end = seqAdd(s.seq, sequenceSpace(s));
    const before = sentUpTo[s.from];
    const resends = before !== undefined && seqLt(s.seq, before);
    if (before === undefined || seqGt(end, before)) sentUpTo[s.from] = end;
    const acked = ackedUpTo[s.from];
    const oldAck = s.ack !== null && acked !== undefined && !seqGt(s.ack, acked);
    if (s.ack !== null && (acked === undefined || seqGt(s.ack, acked))) ackedUpTo[s.from] = s.ack;
    const isSyn = s.flags.includes('SYN');
    const newSynOnOldPorts = isSyn && synSeqs[s.from].size > 0 && !synSeqs[s.from].has(s.seq);
    if (isSyn) synSeqs[s.from].add(s.seq);
    const flagged =
      packet.repeatOf !== null ||
      packet.kind !== 'sent' ||
      resends ||
      (oldAck && sequenceSpace(s) === 0) ||
      newSynOnOldPorts ||
      packet.wrongCard ||
      seenWrong[s.from] ||
      seenWrong[s.to];
    if (packet.wrongCard) seenWrong[s.from] = true;
    return flagged;
  });
}

describe('a game exported as pcapng', () => {
  it('reads back with this project\'s reader: one Ethernet frame per segment, in order, with MSS on SYNs and comments', () => {
    const game = playedGame({ faults: { loss: 0.3, duplicate: 0.3, reorder: 0 }, seed: 3 });
    const packets = exportedPackets(game, { language: 'en', startMs: START });
    const file = readCapture(gameToPcapng(game, { language: 'en', startMs: START }));
    expect(file.format).toBe('pcapng');
    expect(file.packets).toHaveLength(packets.length);
    file.packets.forEach((captured, i) => {
      const tcp = decodeTcp(captured, i);
      const segment = packets[i].segment;
      expect(tcp, `packet ${i + 1}`).not.toBeNull();
      expect({ flags: tcp!.flagBits, seq: tcp!.seq, ack: tcp!.ack, len: tcp!.len }).toEqual({
        flags: bitsOf(segment.flags),
        seq: segment.seq,
        ack: segment.ack ?? 0,
        len: segment.len,
      });
      expect(tcp!.src).toBe(GAME_ENDPOINTS[segment.from].ip.join('.'));
      expect(tcp!.dstPort).toBe(GAME_ENDPOINTS[segment.to].port);
      expect(tcp!.options.mss).toBe(segment.flags.includes('SYN') ? 1460 : undefined);
      expect(captured.comment).toContain(`${segment.id} ${segment.from}→${segment.to}`);
      expect(captured.timeUs).toBe(packets[i].timeUs);
    });
    // The timeline moves forward: a person's move a second, a retransmission timer three.
    const times = file.packets.map((p) => p.timeUs);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[0]).toBeGreaterThan(START * 1000);
    // The lost and copied segments say so.
    const comments = file.packets.map((p) => p.comment ?? '');
    expect(packets.some((p) => p.lost)).toBe(true);
    packets.forEach((p, i) => {
      expect(comments[i].includes('LOST'), `packet ${i + 1} lost`).toBe(p.lost);
      expect(comments[i].includes('DUPLICATE'), `packet ${i + 1} duplicate`).toBe(p.kind === 'duplicate');
    });
    expect(comments.some((c) => c.includes('RETRANSMISSION'))).toBe(true);
  });

  it('carries the payload\'s real bytes and the referee\'s word in the game\'s language', () => {
    const game = playedGame();
    const file = readCapture(gameToPcapng(game, { language: 'zh-CN', startMs: START }));
    const data = file.packets.map((p, i) => decodeTcp(p, i)!).find((tcp) => tcp.len > 0)!;
    const frame = file.packets[data.index].data;
    expect(new TextDecoder().decode(frame.subarray(frame.length - data.len))).toBe(game.sentData.A);
    expect(file.packets[0].comment).toMatch(/A（客户端）：SYN-SENT/);
    expect(file.packets[0].comment).toMatch(/裁判/);
    expect(file.packets[0].comment).not.toMatch(/Referee/);
  });

  it('marks a wrong card delivered in hard mode, with the referee\'s reason', () => {
    const game = playedGame({ policy: { A: { kind: 'erring', errorRate: 0.5 }, B: { kind: 'correct' } }, seed: 5, difficulty: 'hard' });
    const packets = exportedPackets(game, { language: 'en', startMs: START });
    const wrong = packets.filter((p) => p.wrongCard);
    expect(wrong.length).toBeGreaterThan(0);
    for (const packet of wrong) expect(packet.comment).toMatch(/WRONG CARD.*RFC 9293/s);
    for (const packet of packets.filter((p) => !p.wrongCard)) expect(packet.comment).not.toMatch(/WRONG CARD/);
  });
});

describe.skipIf(!hasTshark)('the exported game in tshark', () => {
  it.each(GAMES)('%s: no malformed packet, good checksums, the game\'s segments in order, flags only on repeats', (_name, make) => {
    const game = make();
    const packets = exportedPackets(game, { language: 'en', startMs: START });
    expect(packets.length).toBeGreaterThan(0);
    const dissected = tshark(gameToPcapng(game, { language: 'en', startMs: START }));
    expect(dissected).toHaveLength(packets.length);
    const allowed = mayBeFlagged(packets);
    dissected.forEach((frame, i) => {
      const segment = packets[i].segment;
      const where = `frame ${frame.number} (${segment.id})`;
      expect(frame.malformed, where).toBe(false);
      expect(frame.errors, where).toEqual([]);
      expect(frame.tcpChecksumGood, where).toBe(true);
      expect(frame.ipChecksumGood, where).toBe(true);
      expect({ flags: frame.flags, seq: frame.seq, ack: frame.ack, len: frame.len }, where).toEqual({
        flags: bitsOf(segment.flags),
        seq: segment.seq,
        ack: segment.ack ?? 0,
        len: segment.len,
      });
      if (frame.analysis) expect(allowed[i], `${where}: Wireshark flags it, but the game sent it once`).toBe(true);
    });
  });

  it('flags the retransmissions and network copies of segments that occupy sequence space', () => {
    const game = playedGame({ faults: { loss: 0.3, duplicate: 0.3, reorder: 0 }, seed: 3 });
    const packets = exportedPackets(game, { language: 'en', startMs: START });
    const dissected = tshark(gameToPcapng(game, { language: 'en', startMs: START }));
    const repeats = packets.map((p, i) => ({ p, i })).filter(({ p }) => p.repeatOf !== null && sequenceSpace(p.segment) > 0);
    expect(repeats.length).toBeGreaterThan(0);
    for (const { i } of repeats) expect(dissected[i].analysis, `frame ${i + 1}`).toBe(true);
  });
});

if (!hasTshark) {
  describe('tshark', () => {
    it.skip('is not installed (Debian package tshark): the tshark checks of the export were skipped', () => {});
  });
}
