// Unit tests of the reference TCP, one rule at a time, with the RFC section each one checks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { step } from '../../shared/tcp/reference.ts';
import { tcbFromInitial, closedTcb } from '../../shared/tcp/tcb.ts';
import { seqLt, seqAdd, seqLe } from '../../shared/tcp/seq.ts';
import { FLAGS, TCP_STATES, type Flag, type SegmentFields, type Tcb } from '../../shared/tcp/types.ts';

const seg = (flags: Flag[], seq: number, ack: number | null, len = 0): SegmentFields => ({ flags, seq, ack, len });
const established = (): Tcb =>
  tcbFromInitial({ state: 'ESTABLISHED', iss: 100, irs: 300, snd_una: 101, snd_nxt: 101, rcv_nxt: 301 });
const arrive = (tcb: Tcb, segment: SegmentFields, iss?: number) => step(tcb, { type: 'segment', segment, iss });

describe('sequence arithmetic modulo 2^32 (RFC 9293 §3.4)', () => {
  it('orders numbers across the wrap', () => {
    expect(seqLt(0xffffffff, 0)).toBe(true);
    expect(seqLt(0, 0xffffffff)).toBe(false);
    expect(seqAdd(0xffffffff, 1)).toBe(0);
    expect(seqLe(5, 5)).toBe(true);
  });
});

describe('CLOSED (§3.10.7.1)', () => {
  it('answers a SYN with <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>', () => {
    const out = arrive(closedTcb(), seg(['SYN'], 100, null));
    expect(out.emits).toEqual([seg(['ACK', 'RST'], 0, 101)]);
    expect(out.reaction).toBe('rst');
  });
  it('answers an ACK-bearing segment with <SEQ=SEG.ACK><CTL=RST>', () => {
    expect(arrive(closedTcb(), seg(['ACK'], 5, 77, 3)).emits).toEqual([seg(['RST'], 77, null)]);
  });
  it('drops a RST silently', () => {
    expect(arrive(closedTcb(), seg(['RST'], 5, null)).emits).toEqual([]);
  });
});

describe('LISTEN (§3.10.7.2)', () => {
  const listen = () => step(closedTcb(), { type: 'app', call: 'listen' }).tcb;
  it('ignores a RST, resets an ACK, answers a SYN with SYN,ACK', () => {
    expect(arrive(listen(), seg(['RST'], 1, null)).emits).toEqual([]);
    expect(arrive(listen(), seg(['ACK'], 1, 42)).emits).toEqual([seg(['RST'], 42, null)]);
    const out = arrive(listen(), seg(['SYN'], 100, null), 300);
    expect(out.emits).toEqual([seg(['ACK', 'SYN'], 300, 101)]);
    expect(out.tcb).toMatchObject({ state: 'SYN-RECEIVED', irs: 100, rcvNxt: 101, sndNxt: 301, passive: true });
  });
});

describe('RST in the synchronized states (§3.10.7.4 second step, RFC 5961 §3)', () => {
  it('resets on RST with SEQ = RCV.NXT and signals the user', () => {
    const out = arrive(established(), seg(['RST'], 301, null));
    expect(out.tcb.state).toBe('CLOSED');
    expect(out.signal).toBe('connection reset');
  });
  it('sends a challenge ACK for a RST in the window but not at RCV.NXT', () => {
    const out = arrive(established(), seg(['RST'], 305, null));
    expect(out.emits).toEqual([seg(['ACK'], 101, 301)]);
    expect(out.reaction).toBe('challenge_ack');
    expect(out.tcb.state).toBe('ESTABLISHED');
  });
  it('drops a RST outside the window', () => {
    expect(arrive(established(), seg(['RST'], 290, null)).reaction).toBe('drop');
  });
  it('returns a passive SYN-RECEIVED to LISTEN', () => {
    const tcb = tcbFromInitial({ state: 'SYN-RECEIVED', iss: 300, irs: 100, snd_una: 300, snd_nxt: 301, rcv_nxt: 101, passive: true });
    expect(arrive(tcb, seg(['RST'], 101, null)).tcb.state).toBe('LISTEN');
  });
});

describe('SYN in a synchronized state (§3.10.7.4 fourth step, RFC 5961 §4)', () => {
  it('answers with a challenge ACK and stays', () => {
    const out = arrive(established(), seg(['SYN'], 500, null));
    expect(out.emits).toEqual([seg(['ACK'], 101, 301)]);
    expect(out.tcb.state).toBe('ESTABLISHED');
  });
});

describe('data and acknowledgments', () => {
  it('acknowledges data by its length, not by one (Ack = Seq + len)', () => {
    const out = arrive(established(), seg(['ACK'], 301, 101, 20));
    expect(out.emits).toEqual([seg(['ACK'], 101, 321)]);
  });
  it('holds a segment beyond RCV.NXT and acknowledges both once the gap is filled', () => {
    const held = arrive(established(), seg(['ACK'], 311, 101, 10));
    expect(held.reaction).toBe('hold');
    expect(held.emits).toEqual([]);
    const filled = arrive(held.tcb, seg(['ACK'], 301, 101, 10));
    expect(filled.emits).toEqual([seg(['ACK'], 101, 321)]);
  });
  it('answers an ACK of something never sent with an empty ACK', () => {
    const out = arrive(established(), seg(['ACK'], 301, 500));
    expect(out.emits).toEqual([seg(['ACK'], 101, 301)]);
    expect(out.reaction).toBe('ack');
  });
  it('answers an old duplicate with an empty ACK', () => {
    expect(arrive(established(), seg(['ACK'], 291, 101, 10)).emits).toEqual([seg(['ACK'], 101, 301)]);
  });
  it('drops a segment without ACK in a synchronized state', () => {
    expect(arrive(established(), seg([], 301, null, 5)).reaction).toBe('drop');
  });
});

describe('wrap-around at 2^32', () => {
  it('acknowledges a SYN with ISS 2^32 - 1 by 0', () => {
    const listening = step(closedTcb(), { type: 'app', call: 'listen' }).tcb;
    const out = arrive(listening, seg(['SYN'], 0xffffffff, null), 7);
    expect(out.emits).toEqual([seg(['ACK', 'SYN'], 7, 0)]);
  });
});

describe('user calls (§3.10.1–3.10.5)', () => {
  it('refuses send and close after close with "connection closing"', () => {
    const closing = step(established(), { type: 'app', call: 'close' }).tcb;
    expect(closing.state).toBe('FIN-WAIT-1');
    expect(step(closing, { type: 'app', call: 'send', len: 3 }).error).toBe('connection closing');
  });
  it('aborts an established connection with <SEQ=SND.NXT><CTL=RST>', () => {
    const out = step(established(), { type: 'app', call: 'abort' });
    expect(out.emits).toEqual([seg(['RST'], 101, null)]);
    expect(out.tcb.state).toBe('CLOSED');
  });
  it('sends deferred data and the FIN in one segment', () => {
    const queued = step(established(), { type: 'app', call: 'send', len: 5, defer: true });
    expect(queued.emits).toEqual([]);
    const out = step(queued.tcb, { type: 'app', call: 'close' });
    expect(out.emits).toEqual([seg(['ACK', 'FIN'], 101, 301, 5)]);
    expect(out.tcb.sndNxt).toBe(107);
  });
});

describe('robustness', () => {
  const anySegment = fc.record({
    flags: fc.subarray([...FLAGS]),
    seq: fc.nat({ max: 0xffffffff }),
    ack: fc.option(fc.nat({ max: 0xffffffff }), { nil: null }),
    len: fc.nat({ max: 2000 }),
  });
  it('never throws and always lands in one of the 11 states, whatever arrives in whatever state', () => {
    fc.assert(
      fc.property(fc.constantFrom(...TCP_STATES), anySegment, (state, segment) => {
        const tcb = tcbFromInitial({ state, iss: 100, irs: 300, snd_una: 101, snd_nxt: 101, rcv_nxt: 301 });
        const out = arrive(tcb, segment as SegmentFields, 500);
        expect(TCP_STATES).toContain(out.tcb.state);
        for (const emitted of out.emits) {
          expect(emitted.ack === null).toBe(!emitted.flags.includes('ACK'));
        }
      }),
      { numRuns: 3000 },
    );
  });
});
