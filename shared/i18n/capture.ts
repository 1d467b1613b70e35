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
    zh: `文件太大：${mib(f.size)}，上限是 ${mib(f.limit)}。请只保留你关心的连接，例如 tshark -r in.pcap -w out.pcapng "tcp.stream eq 0" 只保留第一个连接。`,
  }),
  TOO_MANY_PACKETS: (f) => ({
    en: `The capture has more than ${f.limit} packets, the most this judge reads. Cut it down to the connection you want, e.g. tshark -r in.pcap -w out.pcapng "tcp.stream eq 0".`,
    zh: `抓包文件的数据包超过 ${f.limit} 个，这是本裁判能读取的上限。请只保留你关心的连接，例如 tshark -r in.pcap -w out.pcapng "tcp.stream eq 0" 只保留第一个连接。`,
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

// ---------------------------------------------------------------------------------------------------------
// The judge's explanations

const endName = { en: { A: 'A (client)', B: 'B (server)' }, zh: { A: 'A（客户端）', B: 'B（服务器）' } } as const;
const profileName = { en: { rfc: "RFC 9293's primary choice", linux: 'What Linux does' }, zh: { rfc: 'RFC 9293 的首选做法', linux: 'Linux 的做法' } } as const;

export const JUDGE_TEXTS = {
  answers: (end: 'A' | 'B', from: string, to: string, cause: string): LocalizedText => ({
    en: `Expected: ${endName.en[end]} got ${cause} in ${from}${from === to ? '' : ` (now ${to})`}, and the reference TCP answers with this segment.`,
    zh: `符合预期：${endName.zh[end]}在 ${from} 状态收到 ${cause}${from === to ? '' : `（现在是 ${to}）`}，参考 TCP 正是用这个报文段回应。`,
  }),
  afterCall: (end: 'A' | 'B', call: string, state: string): LocalizedText => ({
    en: `Expected: the application at ${endName.en[end]} called ${call} in ${state}, and the reference TCP sends this segment.`,
    zh: `符合预期：${endName.zh[end]}的应用在 ${state} 状态调用了 ${call} 之后，参考 TCP 正是发送这个报文段。`,
  }),
  delayedAck: (count: number): LocalizedText => ({
    en: `Allowed: one ACK for ${count} segments — a delayed ACK; the reference TCP acknowledges each at once, RFC 9293 lets a receiver wait a little and acknowledge several together.`,
    zh: `允许：用一个 ACK 确认 ${count} 个报文段——延迟确认；参考 TCP 每收到一个就立即确认，RFC 9293 允许接收方稍等片刻、一次确认多个。`,
  }),
  variant: (profile: 'rfc' | 'linux'): LocalizedText => ({
    en: `Allowed: another conformant choice — ${profileName.en[profile]} here; judged with the ${profile} profile, it is expected.`,
    zh: `允许：另一种符合标准的做法——此处是${profileName.zh[profile]}；按 ${profile} 依据评判时即为符合预期。`,
  }),
  retransmission: {
    en: 'Allowed: a retransmission — sequence space this end has sent before, sent again (its timer ran out, or a fast retransmit).',
    zh: '允许：重传——这一端之前发送过的序号空间再次发送（重传计时器超时，或快速重传）。',
  },
  keepAlive: {
    en: 'Allowed, not modelled: a keep-alive — an ACK with SEG.SEQ = SND.NXT − 1 that asks the peer to answer; the game does not model keep-alives.',
    zh: '允许，未建模：保活报文——SEG.SEQ = SND.NXT − 1 的 ACK，请对端回应；本游戏不模拟保活机制。',
  },
  sack: {
    en: 'Allowed, not modelled: an ACK with SACK blocks telling which later data arrived; the game does not model SACK.',
    zh: '允许，未建模：带 SACK 块的 ACK，告知对端哪些后续数据已经到达；本游戏不模拟 SACK。',
  },
  windowUpdate: {
    en: 'Allowed, not modelled: a window update — the same ACK again with a new window; the game does not model windows.',
    zh: '允许，未建模：窗口更新——同样的 ACK 再发一次，只是窗口变了；本游戏不模拟窗口。',
  },
  extraAck: {
    en: 'Allowed: an ACK the reference TCP does not send here (a duplicate ACK, or one for data that arrived out of order); it repeats what the peer already knows and changes nothing.',
    zh: '允许：参考 TCP 在此不会发送的 ACK（重复 ACK，或为乱序到达的数据发送的 ACK）；它重复对端已知的内容，不改变任何状态。',
  },
  wrong: (end: 'A' | 'B', state: string, right: string | null, got: string): LocalizedText => ({
    en: `Wrong: ${endName.en[end]} in ${state} sends ${got}, but the reference TCP would send ${right ?? 'nothing'} here.`,
    zh: `错误：${endName.zh[end]}在 ${state} 状态发送了 ${got}，而参考 TCP 此时${right ? `应发送 ${right}` : '什么都不会发送'}。`,
  }),
  networkCopy: (n: number): LocalizedText => ({
    en: `Allowed: a copy of packet ${n} made by the network (same IP identification): its sender sent it once. It arrives again, and the receiver answers it as a duplicate.`,
    zh: `允许：网络复制出的第 ${n} 个数据包的拷贝（IP 标识相同）：发送方只发送了一次。它会再次到达，接收方把它当作重复报文段来回应。`,
  }),
  afterTimeWait: (end: 'A' | 'B', then: LocalizedText): LocalizedText => ({
    en: `${endName.en[end]} had left TIME-WAIT before this: its 2 MSL wait ran out and the connection was deleted. ${then.en}`,
    zh: `在此之前${endName.zh[end]}已经离开 TIME-WAIT：2 MSL 等待结束，连接已被删除。${then.zh}`,
  }),
  midConnection: (state: string): LocalizedText => ({
    en: `The capture starts in the middle of the connection (no SYN): both ends are taken to be ${state}, with the numbers of the first segment.`,
    zh: `抓包从连接中途开始（没有 SYN）：假定两端都处于 ${state} 状态，序号取自第一个报文段。`,
  }),
};

// ---------------------------------------------------------------------------------------------------------
// Play along: the verdict on a card the player built for a hidden segment (shared/capture/playAlong.ts)

export const PLAY_ALONG_TEXTS = {
  rightReal: (end: 'A' | 'B'): LocalizedText => ({
    en: `Right: that is the segment ${endName.en[end]} sent.`,
    zh: `正确：${endName.zh[end]}发送的正是这个报文段。`,
  }),
  rightReference: (verdict: 'expected' | 'allowed' | 'wrong'): LocalizedText =>
    verdict === 'wrong'
      ? {
          en: 'Right: that is what a correct TCP sends here. The captured stack sent something else, and the judge finds it wrong.',
          zh: '正确：这正是正确的 TCP 此时要发送的报文段。抓包里的协议栈发送了别的报文段，裁判判定它是错误的。',
        }
      : {
          en: 'Right: that is what the reference TCP sends here. The captured stack made another allowed choice: see its segment below.',
          zh: '正确：这正是参考 TCP 此时要发送的报文段。抓包里的协议栈做了另一种允许的选择：见下面它的报文段。',
        },
  segmentOnly: { en: 'in Play along you build a segment, not a user call', zh: '跟着玩时要搭建的是报文段，而不是用户调用' },
};
