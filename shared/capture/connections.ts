// The TCP connections in a capture: packets grouped by their two addresses and ports, in the order their
// first packet appears. One connection per address/port pair, so a new SYN on the ports of a connection in
// TIME-WAIT stays with it (the judge sees the SYN arrive in TIME-WAIT, as the end did).

import { CaptureError } from './errors.ts';
import { decodeTcp } from './frames.ts';
import type { CaptureFile, TcpPacket } from './types.ts';

export interface Endpoint {
  ip: string;
  port: number;
}

export interface CaptureConnection {
  /** A: the end that sent the first SYN (the client); without one, the end with the higher port */
  client: Endpoint;
  server: Endpoint;
  packets: Array<TcpPacket & { from: 'A' | 'B' }>;
  /** the capture does not hold the connection's first SYN */
  midConnection: boolean;
}

const SYN = 2;
const ACK = 16;

export function endpointText(endpoint: Endpoint): string {
  return endpoint.ip.includes(':') ? `[${endpoint.ip}]:${endpoint.port}` : `${endpoint.ip}:${endpoint.port}`;
}

/** Every TCP connection of the capture; throws NO_TCP when there is none. */
export function extractConnections(file: CaptureFile): CaptureConnection[] {
  const byKey = new Map<string, TcpPacket[]>();
  file.packets.forEach((packet, index) => {
    const tcp = decodeTcp(packet, index);
    if (!tcp) return;
    const one = `${tcp.src}|${tcp.srcPort}`;
    const other = `${tcp.dst}|${tcp.dstPort}`;
    const key = one < other ? `${one}|${other}` : `${other}|${one}`;
    const list = byKey.get(key);
    if (list) list.push(tcp);
    else byKey.set(key, [tcp]);
  });
  if (byKey.size === 0) throw new CaptureError('NO_TCP', { packets: file.packets.length });
  return [...byKey.values()].map(toConnection);
}

function toConnection(packets: TcpPacket[]): CaptureConnection {
  const firstSyn = packets.find((p) => (p.flagBits & (SYN | ACK)) === SYN);
  const first = packets[0];
  let client: Endpoint;
  if (firstSyn) client = { ip: firstSyn.src, port: firstSyn.srcPort };
  else if (first.srcPort !== first.dstPort) {
    // Mid-connection: the client's port is usually the ephemeral (higher) one.
    client = first.srcPort > first.dstPort ? { ip: first.src, port: first.srcPort } : { ip: first.dst, port: first.dstPort };
  } else client = { ip: first.src, port: first.srcPort };
  const server = client.ip === first.src && client.port === first.srcPort ? { ip: first.dst, port: first.dstPort } : { ip: first.src, port: first.srcPort };
  const isClient = (p: TcpPacket) => p.src === client.ip && p.srcPort === client.port;
  return {
    client,
    server,
    packets: packets.map((p) => ({ ...p, from: isClient(p) ? ('A' as const) : ('B' as const) })),
    midConnection: !firstSyn || firstSyn !== first,
  };
}
