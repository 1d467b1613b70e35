// npm run --silent capture -- FILE [--connection N] [--profile rfc|linux] [--json]
// Judges every TCP segment of a capture (.pcap or .pcapng) against the reference TCP and prints each one
// with its verdict: expected, allowed or wrong. Exits 1 if any segment is wrong, 2 if the file cannot be
// judged (the reason in English and Chinese), else 0. Same code as the page's "Replay a capture".

import { readFileSync, statSync } from 'node:fs';
import { CaptureError, MAX_CAPTURE_BYTES } from '../shared/capture/errors.ts';
import { judgeCapture, judgedToJson } from '../shared/capture/judgeFile.ts';
import { CAPTURE_ERROR_TEXTS, TRUNCATED_NOTICE } from '../shared/i18n/capture.ts';
import { TCP_PROFILES, type TcpProfile } from '../shared/tcp/types.ts';

const USAGE = 'usage: npm run --silent capture -- FILE [--connection N] [--profile rfc|linux] [--json]';

function fail(message: string, code = 2): never {
  console.error(message);
  process.exit(code);
}

const args = process.argv.slice(2);
const json = args.includes('--json');
const valueOf = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  return at >= 0 ? args[at + 1] : undefined;
};
const profile = valueOf('--profile') ?? 'rfc';
if (!(TCP_PROFILES as readonly string[]).includes(profile)) fail(`--profile must be rfc or linux\n${USAGE}`);
const connectionText = valueOf('--connection');
const connection = connectionText === undefined ? undefined : Number(connectionText);
const valued = new Set(['--profile', '--connection']);
const files = args.filter((arg, i) => !arg.startsWith('--') && !valued.has(args[i - 1]));
if (files.length !== 1) fail(USAGE);
const file = files[0];

let bytes: Uint8Array;
try {
  // Refuse an oversized file before reading it into memory.
  const size = statSync(file).size;
  if (size > MAX_CAPTURE_BYTES) throw new CaptureError('TOO_LARGE', { size, limit: MAX_CAPTURE_BYTES });
  bytes = new Uint8Array(readFileSync(file));
} catch (error) {
  if (error instanceof CaptureError) {
    const text = CAPTURE_ERROR_TEXTS[error.code](error.facts);
    fail(`${file}: ${text.en}\n${file}：${text.zh}`);
  }
  fail(`${file}: cannot read the file (${(error as Error).message})\n${file}：无法读取文件`);
}

let judged;
try {
  judged = judgeCapture(bytes, { profile: profile as TcpProfile, ...(connection !== undefined ? { connection } : {}) });
} catch (error) {
  if (!(error instanceof CaptureError)) throw error;
  const text = CAPTURE_ERROR_TEXTS[error.code](error.facts);
  fail(`${file}: ${text.en}\n${file}：${text.zh}`);
}

const anyWrong = judged.connections.some((c) => c.segments.some((s) => s.verdict === 'wrong'));
if (json) {
  process.stdout.write(`${JSON.stringify(judgedToJson(judged))}\n`);
} else {
  if (judged.truncated) console.log(`! ${TRUNCATED_NOTICE.en}\n! ${TRUNCATED_NOTICE.zh}`);
  judged.connections.forEach((c, index) => {
    const number = connection ?? index + 1;
    console.log(`connection ${number}: ${c.client} → ${c.server}, ${c.segments.length} segments, profile ${c.profile}`);
    for (const note of c.notes) console.log(`  ${note.en}\n  ${note.zh}`);
    for (const s of c.segments) {
      const mark = s.verdict === 'wrong' ? 'x' : s.verdict === 'allowed' ? '~' : ' ';
      const ack = s.ack === null ? '' : ` ack=${s.ack}`;
      console.log(
        `${mark} ${String(s.n).padStart(5)} ${s.from}→${s.from === 'A' ? 'B' : 'A'} ${s.flags.join(',').padEnd(11)} seq=${s.seq}${ack} len=${s.len}  ${s.verdict.padEnd(8)} A=${s.states.A} B=${s.states.B}`,
      );
      if (s.verdict !== 'expected') console.log(`          ${s.rule}: ${s.explanation.en}\n          ${s.explanation.zh}`);
    }
  });
  const counts = { expected: 0, allowed: 0, wrong: 0 };
  for (const c of judged.connections) for (const s of c.segments) counts[s.verdict]++;
  console.log(`${counts.expected} expected, ${counts.allowed} allowed, ${counts.wrong} wrong`);
}
process.exit(anyWrong ? 1 : 0);
