// Every text of captures in English and Chinese: the comments written into an exported game's packets, the
// reader's errors, and the judge's verdicts and notes.

import type { LocalizedText } from '../game/types.ts';
import type { CaptureErrorCode } from '../capture/errors.ts';

type Facts = Record<string, number | string>;

const mib = (bytes: number | string) => `${Math.round((Number(bytes) / 1024 / 1024) * 10) / 10} MiB`;

/** Why a file cannot be judged, naming the numbers (the limit, the size). */
export const CAPTURE_ERROR_TEXTS: Record<CaptureErrorCode, (facts: Facts) => LocalizedText> = {
  NOT_A_CAPTURE: () => ({
    en: 'This is not a capture file: a .pcap or .pcapng file (tcpdump, dumpcap, Wireshark) starts with a magic number this file does not have.',
    zh: '这不是抓包文件：.pcap 或 .pcapng 文件（tcpdump、dumpcap、Wireshark 生成）以特定的魔数开头，而这个文件没有。',
  }),
  TRUNCATED: (f) => ({
    en: `The capture is cut short at byte ${f.offset ?? '?'}: not even one whole packet could be read. Was the file copied while tcpdump was still writing it?`,
    zh: `抓包文件在第 ${f.offset ?? '?'} 字节处被截断，连一个完整的数据包都读不出来。是不是在 tcpdump 还在写入时复制了文件？`,
  }),
  TOO_LARGE: (f) => ({
    en: `The file is too large: ${mib(f.size)}, and the limit is ${mib(f.limit)}. Cut it down to the connection you want, e.g. tshark -r in.pcap -w out.pcapng "tcp.stream eq 0".`,
    zh: `文件太大：${mib(f.size)}，上限是 ${mib(f.limit)}。请只保留你关心的连接，例如 tshark -r in.pcap -w out.pcapng "tcp.stream eq 0"。`,
  }),
  TOO_MANY_PACKETS: (f) => ({
    en: `The capture has more than ${f.limit} packets, the most this judge reads. Cut it down to the connection you want, e.g. tshark -r in.pcap -w out.pcapng "tcp.stream eq 0".`,
    zh: `抓包文件的数据包超过 ${f.limit} 个，这是本裁判能读取的上限。请只保留你关心的连接，例如 tshark -r in.pcap -w out.pcapng "tcp.stream eq 0"。`,
  }),
  NO_TCP: (f) => ({
    en: `The capture holds ${f.packets} packets but no TCP segment this judge can read (link types read: Ethernet, Linux cooked SLL and SLL2, raw IP, BSD loopback; IPv4 and IPv6).`,
    zh: `抓包文件有 ${f.packets} 个数据包，但没有本裁判能读取的 TCP 报文段（支持的链路类型：以太网、Linux cooked SLL 与 SLL2、原始 IP、BSD 环回；IPv4 与 IPv6）。`,
  }),
  NO_SUCH_CONNECTION: (f) => ({
    en: `There is no connection ${f.wanted}: the capture has ${f.count} (numbered from 1).`,
    zh: `没有第 ${f.wanted} 个连接：抓包文件中共有 ${f.count} 个连接（从 1 开始编号）。`,
  }),
};

export const TRUNCATED_NOTICE: LocalizedText = {
  en: 'The file ends in the middle of a packet: the packets before it are judged, the cut one is left out.',
  zh: '文件在某个数据包中间结束：之前的数据包照常评判，被截断的那个不计。',
};

// ---------------------------------------------------------------------------------------------------------
// Comments in an exported game's packets

export const COMMENT_TEXTS = {
  states: (a: string, b: string): LocalizedText => ({ en: `A (client): ${a} · B (server): ${b}`, zh: `A（客户端）：${a} · B（服务器）：${b}` }),
  referee: (word: string, rule: string): LocalizedText => ({ en: `Referee: ${word} (${rule})`, zh: `裁判：${word}（${rule}）` }),
  lost: { en: 'LOST: the network drops this segment after the capture point; it never arrives.', zh: '丢失：网络在抓包点之后丢弃了这个报文段，它不会到达。' },
  duplicate: (id: string): LocalizedText => ({
    en: `DUPLICATE: a second copy of ${id} made by the network (the sender sent it once).`,
    zh: `重复：网络复制出的 ${id} 的第二份拷贝（发送方只发送了一次）。`,
  }),
  delayed: { en: 'DELAYED: the network holds this segment back; a later one overtakes it.', zh: '延迟：网络扣住了这个报文段，后面的报文段会先到达。' },
  retransmission: (id: string): LocalizedText => ({
    en: `RETRANSMISSION: ${id} sent again (same sequence number) after the retransmission timeout.`,
    zh: `重传：重传超时后再次发送 ${id}（序号不变）。`,
  }),
  repeated: (id: string): LocalizedText => ({ en: `REPEATED: the same segment as ${id}, sent again.`, zh: `重复发送：与 ${id} 相同的报文段再次发送。` }),
  wrongCard: (why: string): LocalizedText => ({
    en: `WRONG CARD, delivered anyway (hard mode or an erring bot): ${why}`,
    zh: `错误的牌，但仍被投递（困难模式或会犯错的机器人）：${why}`,
  }),
  injected: { en: 'On the wire before the game began (put there by the level).', zh: '游戏开始前就在线路上（由关卡放置）。' },
  delivered: (reaction: string): LocalizedText => ({ en: `Receiver's reaction: ${reaction}`, zh: `接收方的反应：${reaction}` }),
};
