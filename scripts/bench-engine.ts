// npm run bench:engine — how fast the shared engine judges cards and runs whole connections on one core.
// Prints referee judgements per second and reference-TCP events per second over whole games (open, data
// both ways, close). Target: at least 1,000,000 judged cards per second, right or wrong.
//   right card judged: judgeCard on the card a correct TCP sends; the verdict's rule is read.
//   wrong card judged and explained: judgeCard on a wrong card (ACK = the peer's SEQ); the verdict's code,
//     rule and hint are read, and its explanation text in both languages (what is sent to the player). The
//     referee writes that text as it judges, so judging a wrong card and explaining it is one figure.
// Every loop reads from each verdict, so no judgement can be optimized away as unused.

import { judgeCard, newGame, playCard, type Card, type GameState } from '../shared/game/index.ts';
import { step } from '../shared/tcp/reference.ts';
import { closedTcb } from '../shared/tcp/tcb.ts';
import type { EndpointEvent, Tcb } from '../shared/tcp/types.ts';

function measure(label: string, unit: string, seconds: number, run: () => number): void {
  // Warm up first so the figures are for optimized code.
  const warmEnd = performance.now() + 300;
  while (performance.now() < warmEnd) run();
  let count = 0;
  const start = performance.now();
  const end = start + seconds * 1000;
  while (performance.now() < end) count += run();
  const elapsed = (performance.now() - start) / 1000;
  const rate = count / elapsed;
  console.log(`${label.padEnd(48)} ${Math.round(rate).toLocaleString('en-US').padStart(12)} ${unit}/s  (${(1e9 / rate).toFixed(0)} ns each)`);
}

// A game waiting for the server's SYN-ACK: the card most often judged in a class.
let game: GameState = newGame({ mission: 'open-send-close', seed: 1, difficulty: 'normal', faults: { loss: 0, duplicate: 0, reorder: 0 } });
for (const [seat, card] of [
  ['B', { kind: 'call', call: 'listen' }],
  ['A', { kind: 'call', call: 'connect' }],
  ['A', { kind: 'segment', flags: ['SYN'], seq: 100, ack: null, len: 0 }],
] as const) {
  const result = playCard(game, seat, card as Card);
  if (!result.ok) throw new Error('bench setup failed');
  game = result.game;
}
const right: Card = { kind: 'segment', flags: ['SYN', 'ACK'], seq: 300, ack: 101, len: 0 };
const wrong: Card = { kind: 'segment', flags: ['SYN', 'ACK'], seq: 300, ack: 100, len: 0 };

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
console.log(`Engine benchmark, Node ${process.version}, ${seconds} s per figure, one core`);
let read = 0;
measure('referee: right card judged', 'cards', seconds, () => {
  for (let i = 0; i < 1000; i++) read += judgeCard(game, 'B', right).rule.length;
  return 1000;
});
measure('referee: wrong card judged and explained', 'cards', seconds, () => {
  for (let i = 0; i < 1000; i++) {
    const verdict = judgeCard(game, 'B', wrong);
    if (verdict.ok) throw new Error('the wrong card was accepted');
    read += verdict.code.length + verdict.rule.length + (verdict.hint ? 1 : 0) + verdict.explanation.en.length + verdict.explanation.zh.length;
  }
  return 1000;
});
if (read === 0) throw new Error('no verdict was read');

// Whole connections through the reference TCP alone: 3-way handshake, data both ways, 4-way close.
function wholeConnection(): number {
  let a: Tcb = closedTcb();
  let b: Tcb = closedTcb();
  let events = 0;
  const at = (tcb: Tcb, event: EndpointEvent) => {
    events++;
    return step(tcb, event);
  };
  b = at(b, { type: 'app', call: 'listen' }).tcb;
  let out = at(a, { type: 'app', call: 'connect', iss: 100 });
  a = out.tcb;
  let reply = at(b, { type: 'segment', segment: out.emits[0], iss: 300 });
  b = reply.tcb;
  out = at(a, { type: 'segment', segment: reply.emits[0] });
  a = out.tcb;
  b = at(b, { type: 'segment', segment: out.emits[0] }).tcb;
  out = at(a, { type: 'app', call: 'send', len: 5 });
  a = out.tcb;
  reply = at(b, { type: 'segment', segment: out.emits[0] });
  b = reply.tcb;
  a = at(a, { type: 'segment', segment: reply.emits[0] }).tcb;
  reply = at(b, { type: 'app', call: 'send', len: 7 });
  b = reply.tcb;
  out = at(a, { type: 'segment', segment: reply.emits[0] });
  a = out.tcb;
  b = at(b, { type: 'segment', segment: out.emits[0] }).tcb;
  out = at(a, { type: 'app', call: 'close' });
  a = out.tcb;
  reply = at(b, { type: 'segment', segment: out.emits[0] });
  b = reply.tcb;
  a = at(a, { type: 'segment', segment: reply.emits[0] }).tcb;
  reply = at(b, { type: 'app', call: 'close' });
  b = reply.tcb;
  out = at(a, { type: 'segment', segment: reply.emits[0] });
  a = out.tcb;
  b = at(b, { type: 'segment', segment: out.emits[0] }).tcb;
  a = at(a, { type: 'timer', timer: '2msl' }).tcb;
  if (a.state !== 'CLOSED' || b.state !== 'CLOSED') throw new Error(`connection did not close: ${a.state} ${b.state}`);
  return events;
}
measure('reference TCP: events over whole games', 'events', seconds, wholeConnection);
measure('reference TCP: whole games', 'games', seconds, () => (wholeConnection(), 1));
