// Reading pcap and pcapng files, and writing pcapng, over plain Uint8Array/DataView (no Node Buffer, so the
// same code runs in a browser Worker). Formats: the classic libpcap format (both byte orders, microsecond and
// nanosecond magic) and pcapng (IETF draft-ietf-opsawg-pcapng: SHB, IDB, EPB, SPB and the obsolete PB).

import { CaptureError, MAX_CAPTURE_BYTES, MAX_CAPTURE_PACKETS } from './errors.ts';
import type { CaptureFile, CapturedPacket } from './types.ts';

const PCAP_MAGIC_US = 0xa1b2c3d4;
const PCAP_MAGIC_NS = 0xa1b23c4d;
const PCAPNG_SHB = 0x0a0d0d0a;
const PCAPNG_BYTE_ORDER = 0x1a2b3c4d;
const BLOCK_IDB = 1;
const BLOCK_PB = 2;
const BLOCK_SPB = 3;
const BLOCK_EPB = 6;
const OPT_END = 0;
const OPT_COMMENT = 1;
const IF_TSRESOL = 9;
const IF_TSOFFSET = 14;

export interface ReadLimits {
  maxBytes?: number;
  maxPackets?: number;
}

/** Read a capture file; throws CaptureError for what is not one, or is over a limit. */
export function readCapture(bytes: Uint8Array, limits: ReadLimits = {}): CaptureFile {
  const maxBytes = limits.maxBytes ?? MAX_CAPTURE_BYTES;
  const maxPackets = limits.maxPackets ?? MAX_CAPTURE_PACKETS;
  if (bytes.length > maxBytes) throw new CaptureError('TOO_LARGE', { size: bytes.length, limit: maxBytes });
  if (bytes.length < 4) throw new CaptureError('NOT_A_CAPTURE');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (magic === PCAPNG_SHB) return readPcapng(bytes, view, maxPackets);
  const little = view.getUint32(0, true);
  if (magic === PCAP_MAGIC_US || magic === PCAP_MAGIC_NS) return readPcap(bytes, view, false, magic === PCAP_MAGIC_NS, maxPackets);
  if (little === PCAP_MAGIC_US || little === PCAP_MAGIC_NS) return readPcap(bytes, view, true, little === PCAP_MAGIC_NS, maxPackets);
  throw new CaptureError('NOT_A_CAPTURE');
}

function tooMany(count: number, maxPackets: number): void {
  if (count > maxPackets) throw new CaptureError('TOO_MANY_PACKETS', { limit: maxPackets });
}

function readPcap(bytes: Uint8Array, view: DataView, little: boolean, nano: boolean, maxPackets: number): CaptureFile {
  if (bytes.length < 24) throw new CaptureError('TRUNCATED', { offset: bytes.length });
  // The link type is the low 16 bits of the last header word (the upper bits carry FCS information).
  const linkType = view.getUint32(20, little) & 0xffff;
  const packets: CapturedPacket[] = [];
  let offset = 24;
  let truncated = false;
  while (offset < bytes.length) {
    if (offset + 16 > bytes.length) {
      truncated = true;
      break;
    }
    const seconds = view.getUint32(offset, little);
    const fraction = view.getUint32(offset + 4, little);
    const captured = view.getUint32(offset + 8, little);
    const original = view.getUint32(offset + 12, little);
    if (offset + 16 + captured > bytes.length) {
      truncated = true;
      break;
    }
    tooMany(packets.length + 1, maxPackets);
    packets.push({
      timeUs: seconds * 1e6 + (nano ? fraction / 1000 : fraction),
      linkType,
      data: bytes.subarray(offset + 16, offset + 16 + captured),
      originalLength: original,
    });
    offset += 16 + captured;
  }
  if (truncated && packets.length === 0) throw new CaptureError('TRUNCATED', { offset });
  return { format: 'pcap', packets, truncated };
}

interface Interface {
  linkType: number;
  snapLength: number;
  /** timestamp units per second */
  unitsPerSecond: number;
  offsetSeconds: number;
}

function readPcapng(bytes: Uint8Array, view: DataView, maxPackets: number): CaptureFile {
  const packets: CapturedPacket[] = [];
  let interfaces: Interface[] = [];
  let little = true;
  let offset = 0;
  let truncated = false;
  let sawSection = false;
  while (offset < bytes.length) {
    if (offset + 12 > bytes.length) {
      truncated = true;
      break;
    }
    const typeBig = view.getUint32(offset, false);
    if (typeBig === PCAPNG_SHB) {
      // A new section: its own byte order and interfaces.
      if (offset + 16 > bytes.length) {
        truncated = true;
        break;
      }
      const order = view.getUint32(offset + 8, true);
      if (order === PCAPNG_BYTE_ORDER) little = true;
      else if (order === 0x4d3c2b1a) little = false;
      else throw new CaptureError('NOT_A_CAPTURE');
      interfaces = [];
      sawSection = true;
    } else if (!sawSection) {
      throw new CaptureError('NOT_A_CAPTURE');
    }
    const type = view.getUint32(offset, little);
    const length = view.getUint32(offset + 4, little);
    if (length < 12 || length % 4 !== 0) {
      if (!sawSection || packets.length === 0) throw new CaptureError(sawSection ? 'TRUNCATED' : 'NOT_A_CAPTURE', { offset });
      truncated = true;
      break;
    }
    if (offset + length > bytes.length) {
      truncated = true;
      break;
    }
    const body = offset + 8;
    const end = offset + length - 4;
    if (type === BLOCK_IDB) {
      interfaces.push(readInterface(view, body, end, little));
    } else if (type === BLOCK_EPB || type === BLOCK_PB) {
      if (body + 20 > end) {
        // a damaged block: keep what came before it, as for a file cut short
        if (packets.length === 0) throw new CaptureError('TRUNCATED', { offset });
        truncated = true;
        break;
      }
      const id = type === BLOCK_EPB ? view.getUint32(body, little) : view.getUint16(body, little);
      const high = view.getUint32(body + 4, little);
      const low = view.getUint32(body + 8, little);
      const captured = view.getUint32(body + 12, little);
      const original = view.getUint32(body + 16, little);
      const dataStart = body + 20;
      if (dataStart + captured > end) {
        if (packets.length === 0) throw new CaptureError('TRUNCATED', { offset });
        truncated = true;
        break;
      }
      const options = readOptions(view, bytes, dataStart + pad4(captured), end, little);
      const iface = interfaces[id] ?? { linkType: -1, snapLength: 0, unitsPerSecond: 1e6, offsetSeconds: 0 };
      tooMany(packets.length + 1, maxPackets);
      packets.push({
        timeUs: timeOf(high, low, iface),
        linkType: iface.linkType,
        data: bytes.subarray(dataStart, dataStart + captured),
        originalLength: original,
        ...(options.comment !== undefined ? { comment: options.comment } : {}),
      });
    } else if (type === BLOCK_SPB) {
      const iface = interfaces[0] ?? { linkType: -1, snapLength: 0, unitsPerSecond: 1e6, offsetSeconds: 0 };
      const original = view.getUint32(body, little);
      const room = end - (body + 4);
      const captured = Math.min(original, iface.snapLength > 0 ? iface.snapLength : original, room);
      tooMany(packets.length + 1, maxPackets);
      packets.push({ timeUs: 0, linkType: iface.linkType, data: bytes.subarray(body + 4, body + 4 + captured), originalLength: original });
    }
    offset += length;
  }
  if (!sawSection) throw new CaptureError('NOT_A_CAPTURE');
  if (truncated && packets.length === 0) throw new CaptureError('TRUNCATED', { offset });
  return { format: 'pcapng', packets, truncated };
}

function timeOf(high: number, low: number, iface: Interface): number {
  const units = high * 4294967296 + low;
  return (units / iface.unitsPerSecond + iface.offsetSeconds) * 1e6;
}

function readInterface(view: DataView, body: number, end: number, little: boolean): Interface {
  if (body + 8 > end) throw new CaptureError('TRUNCATED', { offset: body });
  const linkType = view.getUint16(body, little);
  const snapLength = view.getUint32(body + 4, little);
  let unitsPerSecond = 1e6;
  let offsetSeconds = 0;
  let at = body + 8;
  while (at + 4 <= end) {
    const code = view.getUint16(at, little);
    const length = view.getUint16(at + 2, little);
    if (code === OPT_END || at + 4 + length > end) break;
    if (code === IF_TSRESOL && length >= 1) {
      const resolution = view.getUint8(at + 4);
      unitsPerSecond = resolution & 0x80 ? 2 ** (resolution & 0x7f) : 10 ** (resolution & 0x7f);
    } else if (code === IF_TSOFFSET && length >= 8) {
      offsetSeconds = Number(view.getBigInt64(at + 4, little));
    }
    at += 4 + pad4(length);
  }
  return { linkType, snapLength, unitsPerSecond, offsetSeconds };
}

function readOptions(view: DataView, bytes: Uint8Array, start: number, end: number, little: boolean): { comment?: string } {
  let at = start;
  let comment: string | undefined;
  while (at + 4 <= end) {
    const code = view.getUint16(at, little);
    const length = view.getUint16(at + 2, little);
    if (code === OPT_END || at + 4 + length > end) break;
    if (code === OPT_COMMENT && comment === undefined) comment = new TextDecoder().decode(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + pad4(length);
  }
  return comment === undefined ? {} : { comment };
}

function pad4(length: number): number {
  return (length + 3) & ~3;
}

// ---------------------------------------------------------------------------------------------------------
// Writing pcapng

export interface PacketToWrite {
  timeUs: number;
  data: Uint8Array;
  comment?: string;
}

/** A pcapng file: one section, one interface of `linkType` with microsecond timestamps, an EPB per packet. */
export function writePcapng(linkType: number, packets: readonly PacketToWrite[], application = 'Handshake'): Uint8Array {
  const encoder = new TextEncoder();
  const blocks: Uint8Array[] = [];
  const shbOptions = options([[4, encoder.encode(application)]]); // shb_userappl
  const shb = block(PCAPNG_SHB, 16 + shbOptions.length, (view, bytes) => {
    view.setUint32(8, PCAPNG_BYTE_ORDER, true);
    view.setUint16(12, 1, true);
    view.setUint16(14, 0, true);
    view.setUint32(16, 0xffffffff, true); // section length: not given (-1)
    view.setUint32(20, 0xffffffff, true);
    bytes.set(shbOptions, 24);
  });
  blocks.push(shb);
  const idbOptions = options([[IF_TSRESOL, Uint8Array.of(6)]]);
  blocks.push(
    block(BLOCK_IDB, 8 + idbOptions.length, (view, bytes) => {
      view.setUint16(8, linkType, true);
      view.setUint32(12, 0, true); // snap length: no limit
      bytes.set(idbOptions, 16);
    }),
  );
  for (const packet of packets) {
    const epbOptions = packet.comment ? options([[OPT_COMMENT, encoder.encode(packet.comment)]]) : new Uint8Array(0);
    const dataLength = pad4(packet.data.length);
    const units = Math.round(packet.timeUs);
    blocks.push(
      block(BLOCK_EPB, 20 + dataLength + epbOptions.length, (view, bytes) => {
        view.setUint32(8, 0, true);
        view.setUint32(12, Math.floor(units / 4294967296), true);
        view.setUint32(16, units % 4294967296, true);
        view.setUint32(20, packet.data.length, true);
        view.setUint32(24, packet.data.length, true);
        bytes.set(packet.data, 28);
        bytes.set(epbOptions, 28 + dataLength);
      }),
    );
  }
  const total = blocks.reduce((sum, b) => sum + b.length, 0);
  const out = new Uint8Array(total);
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

/** A block: type, total length, a body of `bodyLength` bytes filled by `fill` (offsets from the block start), total length. */
function block(type: number, bodyLength: number, fill: (view: DataView, bytes: Uint8Array) => void): Uint8Array {
  const length = 12 + bodyLength;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, type, true);
  view.setUint32(4, length, true);
  fill(view, bytes);
  view.setUint32(length - 4, length, true);
  return bytes;
}

/** An options list, ended by opt_endofopt. */
function options(entries: Array<[number, Uint8Array]>): Uint8Array {
  const length = entries.reduce((sum, [, value]) => sum + 4 + pad4(value.length), 0) + 4;
  const bytes = new Uint8Array(length);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const [code, value] of entries) {
    view.setUint16(at, code, true);
    view.setUint16(at + 2, value.length, true);
    bytes.set(value, at + 4);
    at += 4 + pad4(value.length);
  }
  return bytes;
}

/** A classic pcap file (microseconds, little-endian): for tests and for tools that want the old format. */
export function writePcap(linkType: number, packets: readonly PacketToWrite[]): Uint8Array {
  const total = 24 + packets.reduce((sum, p) => sum + 16 + p.data.length, 0);
  const bytes = new Uint8Array(total);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, PCAP_MAGIC_US, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 262144, true);
  view.setUint32(20, linkType, true);
  let at = 24;
  for (const packet of packets) {
    const units = Math.round(packet.timeUs);
    view.setUint32(at, Math.floor(units / 1e6), true);
    view.setUint32(at + 4, units % 1e6, true);
    view.setUint32(at + 8, packet.data.length, true);
    view.setUint32(at + 12, packet.data.length, true);
    bytes.set(packet.data, at + 16);
    at += 16 + packet.data.length;
  }
  return bytes;
}
