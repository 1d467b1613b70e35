// The judge on real Linux captures (test/captures/, made by make-captures.py with tcpdump on the loopback),
// on games exported by this project, and on captures it must refuse.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractConnections } from '../../shared/capture/connections.ts';
import { readCapture, writePcap, writePcapng } from '../../shared/capture/file.ts';
import { gameToPcapng, exportedPackets } from '../../shared/capture/fromGame.ts';
import { judgeConnection } from '../../shared/capture/judge.ts';
import { replayTimeline } from '../../shared/capture/replay.ts';
import { judgeCapture } from '../../shared/capture/judgeFile.ts';
import { CaptureError } from '../../shared/capture/errors.ts';
import { LINKTYPE } from '../../shared/capture/types.ts';
import { MISSIONS } from '../../shared/game/index.ts';
import { playedGame } from './games.ts';

const DIR = path.join(import.meta.dirname, '..', 'captures');
const capture = (name: string) => new Uint8Array(readFileSync(path.join(DIR, `${name}.pcap`)));
const LINUX_CAPTURES = [
  'open-data-close-client',
  'close-server-first',
  'three-segment-close',
  'half-close',
  'simultaneous-close',
  'rst-closed-port',
  'abort',
  'close-unread-data',
  'syn-in-time-wait',
  'bulk-data',
  'open-data-close-client-sll2',
  'open-data-close-client-ipv6',
  'close-server-first-nano',
  'simultaneous-open',
  'crossing-fins',
];
const segmentsOf = (name: string, profile: 'rfc' | 'linux') => judgeCapture(capture(name), { profile }).connections[0].segments;

describe('the judge on Linux captures', () => {
  it.each(LINUX_CAPTURES)('%s: no segment is wrong, under either profile', (name) => {
    for (const profile of ['rfc', 'linux'] as const) {
      const judged = judgeCapture(capture(name), { profile });
      expect(judged.connections).toHaveLength(1);
      const wrong = judged.connections[0].segments.filter((s) => s.verdict === 'wrong');
      expect(wrong, `${profile}: ${wrong.map((s) => `#${s.n} ${s.explanation.en}`).join('; ')}`).toEqual([]);
      expect(judged.connections[0].segments.length).toBeGreaterThanOrEqual(2);
    }
  });

  it('every capture in test/captures is judged here', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.pcap')).map((f) => f.slice(0, -'.pcap'.length));
    expect([...LINUX_CAPTURES].sort()).toEqual(files.sort());
  });

  it.each(['rfc', 'linux'] as const)('a real simultaneous open (%s): the SYNs crossed, each end got the other\'s in SYN-SENT and answered with a SYN,ACK', (profile) => {
    const segments = segmentsOf('simultaneous-open', profile);
    const syns = segments.filter((s) => s.flags.join() === 'SYN');
    expect(syns.map((s) => s.from)).toEqual(['A', 'B']);
    // both SYNs were sent from SYN-SENT before either arrived, and each arrived at an end in SYN-SENT
    expect(syns[1].states).toEqual({ A: 'SYN-SENT', B: 'SYN-SENT' });
    for (const syn of syns) expect(syn).toMatchObject({ verdict: 'expected', receiverStateAfter: 'SYN-RECEIVED' });
    const synAcks = segments.filter((s) => s.flags.includes('SYN') && s.flags.includes('ACK'));
    expect(synAcks.map((s) => s.from)).toEqual(['B', 'A']);
    for (const synAck of synAcks) {
      const peerSyn = syns.find((s) => s.from !== synAck.from)!;
      expect(synAck).toMatchObject({ verdict: 'expected', rule: 'RFC 9293 §3.10.7.3', ack: (peerSyn.seq + 1) >>> 0 });
      expect(synAck.seq).toBe(syns.find((s) => s.from === synAck.from)!.seq);
      expect(synAck.explanation.en).toContain('in SYN-SENT (now SYN-RECEIVED)');
    }
    // Linux ACKs the crossing SYN,ACK (the linux profile's choice); RFC 9293 Figure 7 sends nothing there
    const acks = segments.slice(segments.indexOf(synAcks[1]) + 1, segments.indexOf(synAcks[1]) + 3);
    expect(acks.map((s) => s.flags)).toEqual([['ACK'], ['ACK']]);
    expect(acks.every((s) => s.verdict === (profile === 'linux' ? 'expected' : 'allowed'))).toBe(true);
    expect(acks[1].states).toEqual({ A: 'ESTABLISHED', B: 'ESTABLISHED' });
  });

  it.each(['rfc', 'linux'] as const)('real crossing FINs (%s): both ends in FIN-WAIT-1 got the other\'s FIN, went through CLOSING and end in TIME-WAIT', (profile) => {
    const segments = segmentsOf('crossing-fins', profile);
    const fins = segments.filter((s) => s.flags.includes('FIN'));
    expect(fins.map((s) => s.from)).toEqual(['A', 'B']);
    // the second FIN does not acknowledge the first: it was sent before the first arrived
    expect(fins[1].ack).toBe(fins[0].seq);
    expect(fins[1].states).toEqual({ A: 'FIN-WAIT-1', B: 'FIN-WAIT-1' });
    for (const fin of fins) expect(fin).toMatchObject({ verdict: 'expected', receiverStateAfter: 'CLOSING' });
    const after = segments.slice(segments.indexOf(fins[1]) + 1);
    expect(after.map((s) => `${s.from} ${s.flags.join()} ${s.verdict}`)).toEqual(['B ACK expected', 'A ACK expected']);
    expect(segments.at(-1)!.states).toEqual({ A: 'TIME-WAIT', B: 'TIME-WAIT' });
  });

  it.each(['abort', 'close-unread-data'])('%s: the RST with ACK is Linux\'s choice — allowed under rfc, expected under linux', (name) => {
    const rst = (profile: 'rfc' | 'linux') => segmentsOf(name, profile).find((s) => s.flags.includes('RST'))!;
    expect(rst('linux').flags).toEqual(['ACK', 'RST']);
    expect(rst('linux').verdict).toBe('expected');
    expect(rst('linux').explanation.en).toMatch(/called (abort|close)/);
    expect(rst('rfc').verdict).toBe('allowed');
    expect(rst('rfc').explanation.en).toContain('What Linux does');
    expect(rst('rfc').explanation.zh).toContain('Linux 的做法');
  });

  it('the SYN in TIME-WAIT: the new SYN,ACK is allowed (MAY-2) under rfc, expected under linux', () => {
    const synAcks = (profile: 'rfc' | 'linux') => segmentsOf('syn-in-time-wait', profile).filter((s) => s.flags.includes('SYN') && s.flags.includes('ACK'));
    expect(synAcks('rfc')).toHaveLength(2);
    expect(synAcks('rfc')[1]).toMatchObject({ verdict: 'allowed', rule: expect.stringContaining('MAY-2') });
    expect(synAcks('linux')[1]).toMatchObject({ verdict: 'expected', rule: expect.stringContaining('MAY-2') });
  });

  it('the three-segment close: the server\'s FIN carries the ACK of the client\'s FIN', () => {
    const segments = segmentsOf('three-segment-close', 'rfc');
    const fins = segments.filter((s) => s.flags.includes('FIN'));
    expect(fins.map((s) => s.from)).toEqual(['A', 'B']);
    expect(fins[1].ack).toBe(((fins[0].seq + 1) >>> 0));
    expect(fins[1].verdict).toBe('expected');
    expect(segments.at(-1)!.states).toEqual({ A: 'TIME-WAIT', B: 'CLOSED' });
  });

  it('a refused connection: the closed port\'s RST,ACK is what RFC 9293 §3.10.7.1 sends', () => {
    const [syn, rst] = segmentsOf('rst-closed-port', 'rfc');
    expect(syn.flags).toEqual(['SYN']);
    expect(rst).toMatchObject({ flags: ['ACK', 'RST'], seq: 0, ack: (syn.seq + 1) >>> 0, verdict: 'expected', rule: 'RFC 9293 §3.10.7.1' });
  });

  it('bulk data: delayed ACKs and window updates are allowed with a note, relative numbers count from the SYN', () => {
    const segments = segmentsOf('bulk-data', 'rfc');
    expect(segments[0]).toMatchObject({ relSeq: 0, relAck: null });
    expect(segments[1]).toMatchObject({ relSeq: 0, relAck: 1 });
    const data = segments.filter((s) => s.len > 0);
    expect(data.reduce((sum, s) => sum + s.len, 0)).toBe(256 * 800);
    expect(data.length).toBeGreaterThan(1);
    const allowed = segments.filter((s) => s.verdict === 'allowed');
    expect(allowed.length).toBeGreaterThan(0);
    for (const s of allowed) expect(s.explanation.en).toMatch(/delayed ACK|window update|duplicate ACK/);
    expect(segments[0].options).toMatchObject({ mss: 65495, sackPermitted: true, windowScale: expect.any(Number), timestamps: expect.any(Object) });
  });

  it('reads the same connection from Ethernet, Linux cooked SLL2, IPv6 and nanosecond captures', () => {
    const shape = (name: string) => segmentsOf(name, 'rfc').map((s) => `${s.from} ${s.flags.join(',')} ${s.relSeq} ${s.relAck} ${s.len}`);
    expect(shape('open-data-close-client-sll2')).toEqual(shape('open-data-close-client'));
    expect(judgeCapture(capture('open-data-close-client-ipv6')).connections[0].client).toMatch(/^\[::1\]:\d+$/);
    const nano = readCapture(capture('close-server-first-nano'));
    // tshark -r close-server-first-nano.pcap -T fields -e frame.time_epoch: 1796233887.944611083
    expect(Math.abs(nano.packets[0].timeUs - 1796233887944611.083)).toBeLessThan(0.5);
    expect(shape('close-server-first-nano').slice(0, 3)).toEqual(shape('close-server-first').slice(0, 3));
  });

  it('a capture that starts mid-connection replays from what is there, and says so', () => {
    const file = readCapture(capture('open-data-close-client'));
    const cut = writePcap(LINKTYPE.ETHERNET, file.packets.slice(3).map((p) => ({ timeUs: p.timeUs, data: p.data })));
    const judged = judgeCapture(cut);
    const connection = judged.connections[0];
    expect(connection.midConnection).toBe(true);
    expect(connection.notes[0].en).toContain('middle of the connection');
    expect(connection.notes[0].zh).toContain('中途');
    expect(connection.segments.filter((s) => s.verdict === 'wrong')).toEqual([]);
    expect(connection.segments.at(-1)!.states).toEqual({ A: 'TIME-WAIT', B: 'CLOSED' });
  });
});

describe('the judge on games this project exported', () => {
  // l04 puts an old duplicate SYN on the wire before the game: the capture cannot tell it is old. (l14 loses
  // the last ACK after the capture point: its LOST comment says so, and the judge does not deliver it.)
  const clean = Object.keys(MISSIONS).filter((mission) => mission !== 'l04-old-duplicate-syn');
  it.each(clean)('%s: a right game has no wrong segment', (mission) => {
    const judged = judgeCapture(gameToPcapng(playedGame({ mission }), { language: 'en', startMs: 0 }));
    expect(judged.connections[0].segments.filter((s) => s.verdict === 'wrong')).toEqual([]);
  });

  it.each([5, 6, 7])('hard mode, erring bot (seed %i): exactly the wrong cards are wrong, with the right segment named', (seed) => {
    const game = playedGame({ policy: { A: { kind: 'erring', errorRate: 0.5 }, B: { kind: 'correct' } }, seed, difficulty: 'hard' });
    const packets = exportedPackets(game, { language: 'en', startMs: 0 });
    const segments = judgeCapture(gameToPcapng(game, { language: 'en', startMs: 0 })).connections[0].segments;
    expect(segments.map((s) => s.verdict === 'wrong')).toEqual(packets.map((p) => p.wrongCard));
    for (const s of segments.filter((x) => x.verdict === 'wrong')) expect(s.explanation.en).toMatch(/reference TCP would send ACK/);
  });

  it('a crossing simultaneous close (level l11): the FINs crossed on the wire and both are expected', () => {
    const segments = judgeCapture(gameToPcapng(playedGame({ mission: 'l11-simultaneous-close' }), { language: 'en', startMs: 0 })).connections[0].segments;
    const fins = segments.filter((s) => s.flags.includes('FIN'));
    expect(fins).toHaveLength(2);
    expect(fins.every((s) => s.verdict === 'expected')).toBe(true);
    expect(segments.at(-1)!.states).toEqual({ A: 'TIME-WAIT', B: 'TIME-WAIT' });
  });
});

describe('the judge on exported games with a faulty network', () => {
  const judged = (seed: number, faults: { loss: number; duplicate: number; reorder: number }) => {
    const game = playedGame({ seed, faults });
    return { game, packets: exportedPackets(game, { language: 'en', startMs: 0 }), segments: judgeCapture(gameToPcapng(game, { language: 'en', startMs: 0 })).connections[0].segments };
  };

  it('loss, duplication and reordering (60 games): no segment is wrong, every lost one is marked, and nothing after one is judged as if it had arrived', () => {
    let lostSeen = 0;
    for (let seed = 1; seed <= 30; seed++) {
      for (const faults of [{ loss: 0.3, duplicate: 0, reorder: 0 }, { loss: 0.2, duplicate: 0.2, reorder: 0.2 }]) {
        const { packets, segments } = judged(seed, faults);
        const wrong = segments.filter((s) => s.verdict === 'wrong');
        expect(wrong.map((s) => `seed ${seed} #${s.n}: ${s.explanation.en}`)).toEqual([]);
        // the judge reads the LOST comments: exactly the packets the network lost are marked
        expect(segments.map((s) => s.lost === true)).toEqual(packets.map((p) => p.lost));
        lostSeen += segments.filter((s) => s.lost).length;
      }
    }
    expect(lostSeen).toBeGreaterThan(20);
  });

  it('a lost last ACK (level l14): the server stays in LAST-ACK and retransmits its FIN, which the client (its 2 MSL over in this game) answers with a RST', () => {
    const game = playedGame({ mission: 'l14-lost-last-ack' });
    const segments = judgeCapture(gameToPcapng(game, { language: 'en', startMs: 0 })).connections[0].segments;
    const lost = segments.filter((s) => s.lost);
    expect(lost).toHaveLength(1);
    expect(lost[0]).toMatchObject({ from: 'A', flags: ['ACK'], receiverStateAfter: 'LAST-ACK' });
    expect(lost[0].states.B).toBe('LAST-ACK');
    const after = segments.slice(segments.indexOf(lost[0]) + 1);
    expect(after[0]).toMatchObject({ from: 'B', flags: ['ACK', 'FIN'], verdict: 'allowed' });
    expect(after[0].states.B).toBe('LAST-ACK');
    expect(after.every((s) => s.verdict !== 'wrong')).toBe(true);
    expect(after.at(-1)).toMatchObject({ from: 'A', flags: ['RST'], verdict: 'expected' });
    expect(segments.at(-1)!.states).toEqual({ A: 'CLOSED', B: 'CLOSED' });
    // the replay draws it as a game does: lost on the way
    expect(replayTimeline(judgeConnection(extractConnections(readCapture(gameToPcapng(game, { language: 'en', startMs: 0 })))[0]), segments.length, false).filter((e) => e.kind === 'segment' && e.fate === 'lost')).toHaveLength(1);
  });

  it('a TIME-WAIT that ran out: the FIN retransmitted after it is answered by a RST, expected, and the judge says why', () => {
    // seed 2 (30 % loss): the client's last ACK is lost, its 2 MSL wait ends, the server's next FIN finds no connection
    const { segments } = judged(2, { loss: 0.3, duplicate: 0, reorder: 0 });
    const rst = segments.find((s) => s.from === 'A' && s.flags.includes('RST'));
    expect(rst).toMatchObject({ verdict: 'expected', seq: 107, ack: null });
    expect(rst!.explanation.en).toContain('had left TIME-WAIT before this: its 2 MSL wait ran out');
    expect(rst!.explanation.zh).toContain('2 MSL 等待结束');
  });

  it('a copy the network made (same IP identification) is allowed and says so; a retransmission is not taken for one', () => {
    let copies = 0;
    for (let seed = 1; seed <= 20; seed++) {
      const { packets, segments } = judged(seed, { loss: 0, duplicate: 0.3, reorder: 0 });
      segments.forEach((s, i) => {
        if (packets[i].kind === 'duplicate') {
          copies++;
          expect(s.verdict).toBe('allowed');
          expect(s.explanation.en).toMatch(/^Allowed: a copy of packet \d+ made by the network/);
        } else expect(s.explanation.en).not.toMatch(/made by the network/);
      });
    }
    expect(copies).toBeGreaterThan(5);
  });
});

describe('captures the judge refuses', () => {
  const codeOf = (bytes: Uint8Array, limits = {}) => {
    try {
      judgeCapture(bytes, limits);
    } catch (error) {
      expect(error).toBeInstanceOf(CaptureError);
      return (error as CaptureError).code;
    }
    return null;
  };

  it('not a capture, truncated, no TCP, over the size limit, too many packets', () => {
    expect(codeOf(new TextEncoder().encode('hello, this is a text file, not a capture'))).toBe('NOT_A_CAPTURE');
    expect(codeOf(new Uint8Array(0))).toBe('NOT_A_CAPTURE');
    const real = capture('abort');
    expect(codeOf(real.subarray(0, 30))).toBe('TRUNCATED');
    const cut = judgeCapture(real.subarray(0, real.length - 10));
    expect(cut.truncated).toBe(true);
    expect(cut.connections[0].segments.length).toBe(readCapture(real).packets.length - 1);
    const arp = writePcapng(LINKTYPE.ETHERNET, [{ timeUs: 0, data: Uint8Array.from([...new Array(12).fill(1), 0x08, 0x06, ...new Array(28).fill(0)]) }]);
    expect(codeOf(arp)).toBe('NO_TCP');
    expect(codeOf(real, { maxBytes: 100 })).toBe('TOO_LARGE');
    expect(codeOf(real, { maxPackets: 3 })).toBe('TOO_MANY_PACKETS');
    expect(codeOf(real, { connection: 2 } as object)).toBe('NO_SUCH_CONNECTION');
  });

  it('a capture of a million packets is refused at the packet limit without reading on', () => {
    // A million empty records (16-byte headers, no bytes captured): 16 MB, under the size limit.
    const count = 1_000_000;
    const bytes = new Uint8Array(24 + count * 16);
    const view = new DataView(bytes.buffer);
    view.setUint32(0, 0xa1b2c3d4, true);
    view.setUint16(4, 2, true);
    view.setUint16(6, 4, true);
    view.setUint32(16, 65535, true);
    view.setUint32(20, 1, true);
    expect(codeOf(bytes)).toBe('TOO_MANY_PACKETS');
  });

  it('damaged captures (random bytes changed in real ones) are judged or refused with a reason, never thrown on', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    for (const name of LINUX_CAPTURES) {
      const original = capture(name);
      for (let round = 0; round < 40; round++) {
        const damaged = original.slice();
        const changes = 1 + Math.floor(random() * 8);
        for (let i = 0; i < changes; i++) damaged[Math.floor(random() * damaged.length)] = Math.floor(random() * 256);
        try {
          const judged = judgeCapture(damaged, { profile: round % 2 ? 'linux' : 'rfc' });
          for (const connection of judged.connections) for (const s of connection.segments) expect(['expected', 'allowed', 'wrong']).toContain(s.verdict);
        } catch (error) {
          expect(error, `${name} round ${round}`).toBeInstanceOf(CaptureError);
        }
      }
    }
  });

  it('frames it cannot read (garbage behind every link type) are skipped, never thrown on', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff;
    for (const linkType of Object.values(LINKTYPE)) {
      const packets = Array.from({ length: 200 }, (_, i) => ({ timeUs: i, data: Uint8Array.from({ length: i % 90 }, random) }));
      const file = readCapture(writePcapng(linkType, packets));
      expect(() => {
        try {
          for (const connection of extractConnections(file)) judgeConnection(connection);
        } catch (error) {
          if (!(error instanceof CaptureError)) throw error;
        }
      }).not.toThrow();
    }
  });
});
