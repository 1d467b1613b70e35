// npm run bench:capture — how fast the capture judge reads and judges a large capture (figures, not a test).
// Builds in memory a pcapng of one connection: a handshake, N data segments each acknowledged, a close;
// then times reading + splitting + judging it, and writing a game's export.
import { performance } from 'node:perf_hooks';
import { writePcapng } from '../shared/capture/file.ts';
import { buildFrame } from '../shared/capture/frames.ts';
import { judgeCapture } from '../shared/capture/judgeFile.ts';
import { LINKTYPE } from '../shared/capture/types.ts';

const arg = process.argv.indexOf('--segments');
const segments = arg >= 0 ? Number(process.argv[arg + 1]) : 90_000;
const A = { mac: [2, 0, 0, 0, 0, 1], ip: [10, 0, 0, 1], port: 40000 };
const B = { mac: [2, 0, 0, 0, 0, 2], ip: [10, 0, 0, 2], port: 80 };
const payload = new Uint8Array(100);
const frames: Array<{ timeUs: number; data: Uint8Array }> = [];
let time = 1_700_000_000_000_000;
const send = (from: typeof A, to: typeof A, seq: number, ack: number, flagBits: number, data = new Uint8Array(0)) =>
  frames.push({
    timeUs: (time += 10),
    data: buildFrame({ srcMac: from.mac, dstMac: to.mac, src: from.ip, dst: to.ip, srcPort: from.port, dstPort: to.port, seq, ack, flagBits, window: 65535, ipId: frames.length, payload: data, ...(flagBits & 2 ? { mss: 1460 } : {}) }),
  });
let a = 1000;
const b = 5000;
send(A, B, a, 0, 2);
send(B, A, b, a + 1, 0x12);
a += 1;
send(A, B, a, b + 1, 0x10);
for (let i = 0; i < segments; i++) {
  send(A, B, a >>> 0, b + 1, 0x18, payload);
  a += payload.length;
  send(B, A, b + 1, a >>> 0, 0x10);
}
send(A, B, a >>> 0, b + 1, 0x11);
send(B, A, b + 1, (a + 1) >>> 0, 0x11);
send(A, B, (a + 1) >>> 0, b + 2, 0x10);
const file = writePcapng(LINKTYPE.ETHERNET, frames);

const started = performance.now();
const judged = judgeCapture(file);
const elapsed = performance.now() - started;
const verdicts = { expected: 0, allowed: 0, wrong: 0 };
for (const s of judged.connections[0].segments) verdicts[s.verdict]++;
console.log(`capture: ${frames.length} packets, ${(file.length / 1024 / 1024).toFixed(1)} MiB pcapng`);
console.log(`judged in ${elapsed.toFixed(0)} ms: ${Math.round((frames.length / elapsed) * 1000)} packets/s`);
console.log(`verdicts: ${verdicts.expected} expected, ${verdicts.allowed} allowed, ${verdicts.wrong} wrong`);
