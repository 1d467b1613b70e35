// From the bytes of a file to judged connections: the one entry point the page and the command share.

import { readCapture, type ReadLimits } from './file.ts';
import { extractConnections } from './connections.ts';
import { CaptureError } from './errors.ts';
import { judgeConnection, type JudgedConnection } from './judge.ts';
import type { TcpProfile } from '../tcp/types.ts';

export interface JudgedCapture {
  format: 'pcap' | 'pcapng';
  packets: number;
  truncated: boolean;
  connections: JudgedConnection[];
}

export interface JudgeOptions extends ReadLimits {
  profile?: TcpProfile;
  /** judge only this connection, numbered from 1 */
  connection?: number;
}

/** Read, split into connections and judge; throws CaptureError for a file that cannot be judged. */
export function judgeCapture(bytes: Uint8Array, options: JudgeOptions = {}): JudgedCapture {
  const file = readCapture(bytes, options);
  const connections = extractConnections(file);
  let chosen = connections;
  if (options.connection !== undefined) {
    const wanted = options.connection;
    if (!Number.isInteger(wanted) || wanted < 1 || wanted > connections.length) {
      throw new CaptureError('NO_SUCH_CONNECTION', { wanted: String(wanted), count: connections.length });
    }
    chosen = [connections[wanted - 1]];
  }
  return {
    format: file.format,
    packets: file.packets.length,
    truncated: file.truncated,
    connections: chosen.map((connection) => judgeConnection(connection, options.profile ?? 'rfc')),
  };
}

/** The --json form of the command (docs/capture.md): raw seq/ack, every TCP packet of each connection once. */
export function judgedToJson(judged: JudgedCapture): object {
  return {
    connections: judged.connections.map((connection) => ({
      client: connection.client,
      server: connection.server,
      segments: connection.segments.map((s) => ({
        n: s.n,
        from: s.from,
        flags: s.flags,
        seq: s.seq,
        ack: s.ack,
        len: s.len,
        verdict: s.verdict,
        rule: s.rule,
        explanation: s.explanation,
      })),
    })),
  };
}
