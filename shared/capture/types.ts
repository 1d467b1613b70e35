// The vocabulary of captures: packets as a capture file holds them, and TCP segments as decoded from them.
// Pure data, so the browser (a Worker) and Node read and write captures with the same code.

/** Link-layer header types (tcpdump.org/linktypes.html) this project reads; Ethernet is the one it writes. */
export const LINKTYPE = {
  NULL: 0, // BSD loopback: a 4-byte address family in the writer's byte order
  ETHERNET: 1,
  RAW_12: 12, // raw IP on some BSDs (DLT_RAW)
  RAW_14: 14, // raw IP on OpenBSD
  RAW: 101,
  LOOP: 108, // OpenBSD loopback: the family in network byte order
  LINUX_SLL: 113,
  IPV4: 228,
  IPV6: 229,
  LINUX_SLL2: 276,
} as const;

/** One captured frame, as the file holds it. */
export interface CapturedPacket {
  /** microseconds since 1970 (may be fractional for nanosecond captures) */
  timeUs: number;
  linkType: number;
  /** the bytes captured (maybe fewer than were on the wire) */
  data: Uint8Array;
  /** how long the frame was on the wire */
  originalLength: number;
  /** a pcapng opt_comment, if the packet had one */
  comment?: string;
}

export interface CaptureFile {
  format: 'pcap' | 'pcapng';
  packets: CapturedPacket[];
  /** the file ended in the middle of a packet or block: what came before it is here */
  truncated: boolean;
}

/** The TCP options the replay shows (RFC 9293 §3.2, RFC 7323, RFC 2018). */
export interface TcpOptions {
  mss?: number;
  windowScale?: number;
  sackPermitted?: boolean;
  /** SACK blocks: [left, right) edges */
  sack?: Array<[number, number]>;
  timestamps?: { value: number; echo: number };
}

/** A TCP segment decoded from a packet: addresses, ports and the header fields. */
export interface TcpPacket {
  /** index of the packet in the capture, from 0 */
  index: number;
  timeUs: number;
  ipVersion: 4 | 6;
  src: string;
  dst: string;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** the header's flag bits, as numbers: FIN 1, SYN 2, RST 4, PSH 8, ACK 16, URG 32 (ECE, CWR above) */
  flagBits: number;
  window: number;
  /** payload bytes on the wire (from the IP length, so a short snapshot still counts them) */
  len: number;
  options: TcpOptions;
  /** IPv4's identification field: a copy the network made carries the sender's one (IPv6 has none) */
  ipId?: number;
  comment?: string;
}
