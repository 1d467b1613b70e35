// Frames: decoding a captured frame down to its TCP header (every link type of types.ts, IPv4 and IPv6), and
// building Ethernet/IPv4/TCP frames with correct IP and TCP checksums (RFC 791, RFC 9293 §3.1).

import { LINKTYPE, type CapturedPacket, type TcpOptions, type TcpPacket } from './types.ts';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const ETHERTYPE_VLAN = [0x8100, 0x88a8, 0x9100];
const PROTO_TCP = 6;
// BSD loopback address families: AF_INET is 2 everywhere, AF_INET6 differs by system (24 NetBSD/OpenBSD,
// 28 FreeBSD, 30 macOS, 10 Linux).
const AF_INET6 = new Set([10, 24, 28, 30]);

/** The TCP segment in a frame, or null if the frame holds none (ARP, UDP, a fragment, a cut header…). */
export function decodeTcp(packet: CapturedPacket, index: number): TcpPacket | null {
  const ip = ipStart(packet.linkType, packet.data);
  if (!ip) return null;
  const view = new DataView(packet.data.buffer, packet.data.byteOffset, packet.data.byteLength);
  return ip.version === 4 ? decodeIpv4(view, ip.offset, packet, index) : decodeIpv6(view, ip.offset, packet, index);
}

function ipStart(linkType: number, data: Uint8Array): { offset: number; version: 4 | 6 } | null {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const byEtherType = (etherType: number, offset: number) =>
    etherType === ETHERTYPE_IPV4 ? { offset, version: 4 as const } : etherType === ETHERTYPE_IPV6 ? { offset, version: 6 as const } : null;
  const byVersion = (offset: number) => {
    if (offset >= data.length) return null;
    const version = data[offset] >> 4;
    return version === 4 || version === 6 ? { offset, version: version as 4 | 6 } : null;
  };
  switch (linkType) {
    case LINKTYPE.ETHERNET: {
      if (data.length < 14) return null;
      let offset = 12;
      let etherType = view.getUint16(offset, false);
      while (ETHERTYPE_VLAN.includes(etherType) && offset + 6 <= data.length) {
        offset += 4;
        etherType = view.getUint16(offset, false);
      }
      return byEtherType(etherType, offset + 2);
    }
    case LINKTYPE.LINUX_SLL:
      return data.length < 16 ? null : byEtherType(view.getUint16(14, false), 16);
    case LINKTYPE.LINUX_SLL2:
      return data.length < 20 ? null : byEtherType(view.getUint16(0, false), 20);
    case LINKTYPE.NULL:
    case LINKTYPE.LOOP: {
      if (data.length < 4) return null;
      // The family is in the writer's byte order (NULL) or in network order (LOOP): accept either reading.
      const family = linkType === LINKTYPE.LOOP ? view.getUint32(0, false) : Math.min(view.getUint32(0, true), view.getUint32(0, false));
      if (family === 2) return { offset: 4, version: 4 };
      if (AF_INET6.has(family)) return { offset: 4, version: 6 };
      return null;
    }
    case LINKTYPE.RAW:
    case LINKTYPE.RAW_12:
    case LINKTYPE.RAW_14:
      return byVersion(0);
    case LINKTYPE.IPV4:
      return byVersion(0)?.version === 4 ? { offset: 0, version: 4 } : null;
    case LINKTYPE.IPV6:
      return byVersion(0)?.version === 6 ? { offset: 0, version: 6 } : null;
    default:
      return null;
  }
}

function decodeIpv4(view: DataView, offset: number, packet: CapturedPacket, index: number): TcpPacket | null {
  if (offset + 20 > view.byteLength) return null;
  const headerLength = (view.getUint8(offset) & 0x0f) * 4;
  const totalLength = view.getUint16(offset + 2, false);
  const fragment = view.getUint16(offset + 6, false);
  if (headerLength < 20 || view.getUint8(offset + 9) !== PROTO_TCP) return null;
  // A fragment other than the first has no TCP header; a first fragment has only part of the payload.
  if ((fragment & 0x1fff) !== 0 || (fragment & 0x2000) !== 0) return null;
  const src = [0, 1, 2, 3].map((i) => view.getUint8(offset + 12 + i)).join('.');
  const dst = [0, 1, 2, 3].map((i) => view.getUint8(offset + 16 + i)).join('.');
  // TSO on the capturing host can leave the IP total length 0: then the frame's length tells.
  const ipLength = totalLength === 0 ? packet.originalLength - offset : totalLength;
  const tcp = decodeTcpHeader(view, offset + headerLength, ipLength - headerLength, 4, src, dst, packet, index);
  return tcp && { ...tcp, ipId: view.getUint16(offset + 4, false) };
}

function decodeIpv6(view: DataView, offset: number, packet: CapturedPacket, index: number): TcpPacket | null {
  if (offset + 40 > view.byteLength) return null;
  let next = view.getUint8(offset + 6);
  let payloadLength = view.getUint16(offset + 4, false);
  if (payloadLength === 0) payloadLength = packet.originalLength - offset - 40; // a jumbogram or TSO
  let at = offset + 40;
  // Skip extension headers: hop-by-hop (0), routing (43), destination options (60); a fragment (44) stops us.
  while (next === 0 || next === 43 || next === 60) {
    if (at + 8 > view.byteLength) return null;
    const length = (view.getUint8(at + 1) + 1) * 8;
    next = view.getUint8(at);
    payloadLength -= length;
    at += length;
  }
  if (next !== PROTO_TCP) return null;
  const src = ipv6Text(view, offset + 8);
  const dst = ipv6Text(view, offset + 24);
  return decodeTcpHeader(view, at, payloadLength, 6, src, dst, packet, index);
}

/** RFC 5952 text: lower case, the longest run of zero groups (two or more) as "::". */
export function ipv6Text(view: DataView, offset: number): string {
  const groups = Array.from({ length: 8 }, (_, i) => view.getUint16(offset + i * 2, false));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLength).join(':')}`;
}

function decodeTcpHeader(
  view: DataView,
  offset: number,
  segmentLength: number,
  ipVersion: 4 | 6,
  src: string,
  dst: string,
  packet: CapturedPacket,
  index: number,
): TcpPacket | null {
  if (offset + 20 > view.byteLength) return null;
  const dataOffset = (view.getUint8(offset + 12) >> 4) * 4;
  if (dataOffset < 20 || segmentLength < dataOffset) return null;
  const optionsEnd = Math.min(offset + dataOffset, view.byteLength);
  return {
    index,
    timeUs: packet.timeUs,
    ipVersion,
    src,
    dst,
    srcPort: view.getUint16(offset, false),
    dstPort: view.getUint16(offset + 2, false),
    seq: view.getUint32(offset + 4, false),
    ack: view.getUint32(offset + 8, false),
    flagBits: view.getUint16(offset + 12, false) & 0x01ff,
    window: view.getUint16(offset + 14, false),
    len: segmentLength - dataOffset,
    options: decodeOptions(view, offset + 20, optionsEnd),
    ...(packet.comment !== undefined ? { comment: packet.comment } : {}),
  };
}

function decodeOptions(view: DataView, start: number, end: number): TcpOptions {
  const options: TcpOptions = {};
  let at = start;
  while (at < end) {
    const kind = view.getUint8(at);
    if (kind === 0) break; // end of option list
    if (kind === 1) {
      at += 1; // no-operation
      continue;
    }
    if (at + 2 > end) break;
    const length = view.getUint8(at + 1);
    if (length < 2 || at + length > end) break;
    if (kind === 2 && length === 4) options.mss = view.getUint16(at + 2, false);
    else if (kind === 3 && length === 3) options.windowScale = view.getUint8(at + 2);
    else if (kind === 4 && length === 2) options.sackPermitted = true;
    else if (kind === 5 && length >= 10) {
      options.sack = [];
      for (let b = at + 2; b + 8 <= at + length; b += 8) options.sack.push([view.getUint32(b, false), view.getUint32(b + 4, false)]);
    } else if (kind === 8 && length === 10) options.timestamps = { value: view.getUint32(at + 2, false), echo: view.getUint32(at + 6, false) };
    at += length;
  }
  return options;
}

// ---------------------------------------------------------------------------------------------------------
// Building frames

export interface FrameSpec {
  srcMac: readonly number[];
  dstMac: readonly number[];
  /** IPv4 addresses as four numbers */
  src: readonly number[];
  dst: readonly number[];
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flagBits: number;
  window: number;
  ipId: number;
  payload: Uint8Array;
  mss?: number;
}

/** The largest payload an IPv4 packet with this header can carry (65535 minus 20 IP and up to 24 TCP bytes). */
export const MAX_FRAME_PAYLOAD = 65535 - 20 - 24;

/** An Ethernet II frame holding an IPv4 packet holding the TCP segment, both checksums filled in. */
export function buildFrame(spec: FrameSpec): Uint8Array {
  const tcpOptions = spec.mss === undefined ? [] : [2, 4, spec.mss >> 8, spec.mss & 0xff];
  const tcpLength = 20 + tcpOptions.length + spec.payload.length;
  const ipLength = 20 + tcpLength;
  const frame = new Uint8Array(14 + ipLength);
  const view = new DataView(frame.buffer);
  frame.set(spec.dstMac, 0);
  frame.set(spec.srcMac, 6);
  view.setUint16(12, ETHERTYPE_IPV4, false);
  const ip = 14;
  view.setUint8(ip, 0x45);
  view.setUint16(ip + 2, ipLength, false);
  view.setUint16(ip + 4, spec.ipId & 0xffff, false);
  view.setUint16(ip + 6, 0x4000, false); // don't fragment
  view.setUint8(ip + 8, 64);
  view.setUint8(ip + 9, PROTO_TCP);
  frame.set(spec.src, ip + 12);
  frame.set(spec.dst, ip + 16);
  view.setUint16(ip + 10, checksum(frame, ip, 20, 0), false);
  const tcp = ip + 20;
  view.setUint16(tcp, spec.srcPort, false);
  view.setUint16(tcp + 2, spec.dstPort, false);
  view.setUint32(tcp + 4, spec.seq >>> 0, false);
  view.setUint32(tcp + 8, spec.ack >>> 0, false);
  view.setUint16(tcp + 12, (((20 + tcpOptions.length) / 4) << 12) | (spec.flagBits & 0x1ff), false);
  view.setUint16(tcp + 14, spec.window, false);
  frame.set(tcpOptions, tcp + 20);
  frame.set(spec.payload, tcp + 20 + tcpOptions.length);
  // The pseudo-header: source, destination, zero, protocol, TCP length (RFC 9293 §3.1).
  const pseudo = sum16(frame, ip + 12, 8, 0) + PROTO_TCP + tcpLength;
  view.setUint16(tcp + 16, checksum(frame, tcp, tcpLength, pseudo), false);
  return frame;
}

function sum16(bytes: Uint8Array, start: number, length: number, initial: number): number {
  let sum = initial;
  for (let i = 0; i + 1 < length; i += 2) sum += (bytes[start + i] << 8) | bytes[start + i + 1];
  if (length % 2 === 1) sum += bytes[start + length - 1] << 8;
  return sum;
}

/** The Internet checksum (RFC 1071): the ones' complement of the ones' complement sum of 16-bit words. */
export function checksum(bytes: Uint8Array, start: number, length: number, initial: number): number {
  let sum = sum16(bytes, start, length, initial);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return ~sum & 0xffff;
}
