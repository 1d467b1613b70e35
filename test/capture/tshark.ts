// The real tshark (Debian's wireshark-common/tshark), run on a file: what Wireshark makes of each packet.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const TSHARK = process.env.TSHARK_PATH ?? '/usr/bin/tshark';
export const hasTshark = existsSync(TSHARK);

export interface TsharkPacket {
  number: number;
  flags: number;
  seq: number;
  ack: number;
  len: number;
  /** tcp.analysis.flags is set: Wireshark saw a retransmission, a duplicate ACK, a lost segment… */
  analysis: boolean;
  tcpChecksumGood: boolean;
  ipChecksumGood: boolean;
  malformed: boolean;
  /** expert items of severity "error" */
  errors: string[];
  payloadHex: string;
  comment: string;
}

const FIELDS = [
  'frame.number',
  'tcp.flags',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.len',
  'tcp.analysis.flags',
  'tcp.checksum.status',
  'ip.checksum.status',
  '_ws.malformed',
  'tcp.payload',
  'frame.comment',
];

/** Dissect a capture with checksum validation on; one entry per frame. */
export function tshark(bytes: Uint8Array): TsharkPacket[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'handshake-tshark-'));
  try {
    const file = path.join(dir, 'capture.pcapng');
    writeFileSync(file, bytes);
    const common = ['-n', '-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.relative_sequence_numbers:FALSE'];
    const run = (args: string[]) => execFileSync(TSHARK, [...common, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
    const lines = run(['-T', 'fields', '-E', 'separator=\t', '-E', 'occurrence=f', ...FIELDS.flatMap((f) => ['-e', f])])
      .split('\n')
      .filter((line) => line.length > 0);
    const errors = new Map<number, string[]>();
    // Expert items of severity error (malformed packets, bad checksums) by frame.
    for (const line of run(['-Y', '_ws.expert.severity == error', '-T', 'fields', '-E', 'separator=\t', '-e', 'frame.number', '-e', '_ws.expert.message']).split('\n')) {
      if (!line) continue;
      const [number, message] = line.split('\t');
      errors.set(Number(number), [...(errors.get(Number(number)) ?? []), message]);
    }
    return lines.map((line) => {
      const f = line.split('\t');
      const number = Number(f[0]);
      return {
        number,
        flags: Number.parseInt(f[1], 16),
        seq: Number(f[2]),
        ack: Number(f[3]),
        len: Number(f[4]),
        analysis: f[5] !== '',
        tcpChecksumGood: f[6] === '1',
        ipChecksumGood: f[7] === '1',
        malformed: f[8] !== '',
        errors: errors.get(number) ?? [],
        payloadHex: f[9] ?? '',
        comment: f[10] ?? '',
      };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
