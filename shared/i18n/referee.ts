// Every explanation the referee gives, in English and Chinese. Each names the numbers involved and the rule.

import type { LocalizedText, RefusalCode } from '../game/types.ts';
import { CARD_LIMITS } from '../game/limits.ts';

export interface ExplanationFacts {
  /** the number the correct card has */
  expected?: number | string | null;
  /** the number the player wrote */
  played?: number | string | null;
  /** the player's end's TCP state */
  state?: string;
  /** the peer's last segment as seen by this end, e.g. "SYN seq=100 len=0" */
  peerSegment?: string;
  /** why the expected number is what it is, e.g. "100 + 1 (the SYN counts as one)" */
  because?: LocalizedText;
  /** the user call that was refused, and the error a real TCP returns */
  call?: string;
  error?: string;
  /** for a card that cannot be read: what is wrong with it */
  field?: string | LocalizedText;
}

type Explainer = (facts: ExplanationFacts) => LocalizedText;

// English puts a space between sentences; Chinese does not.
const because = (facts: ExplanationFacts, lang: 'en' | 'zh') => (facts.because ? `${lang === 'en' ? ' ' : ''}${facts.because[lang]}` : '');

export const REFEREE_TEXTS: Record<RefusalCode, Explainer> = {
  MALFORMED_CARD: (f) => ({
    en: `This card cannot be read${f.field ? `: ${typeof f.field === 'string' ? f.field : f.field.en}` : ''}. Build it again from the flag cards and the number fields.`,
    zh: `这张牌无法识别${f.field ? `：${typeof f.field === 'string' ? f.field : f.field.zh}` : ''}。请用标志位卡片和数字栏重新组装。`,
  }),
  UNKNOWN_FLAG: (f) => ({
    en: `"${f.played}" is not a TCP control bit. The six flags are URG, ACK, PSH, RST, SYN and FIN (RFC 9293 §3.1).`,
    zh: `“${f.played}”不是 TCP 控制位。六个标志位是 URG、ACK、PSH、RST、SYN、FIN（RFC 9293 §3.1）。`,
  }),
  SEQ_OUT_OF_RANGE: (f) => ({
    en: `The sequence number ${f.played} does not fit the 32-bit field: it must be a whole number from ${CARD_LIMITS.seqMin} to ${CARD_LIMITS.seqMax} (RFC 9293 §3.1).`,
    zh: `序号 ${f.played} 超出 32 位字段：必须是 ${CARD_LIMITS.seqMin} 到 ${CARD_LIMITS.seqMax} 之间的整数（RFC 9293 §3.1）。`,
  }),
  ACK_OUT_OF_RANGE: (f) => ({
    en: `The acknowledgment number ${f.played} does not fit the 32-bit field: it must be a whole number from ${CARD_LIMITS.seqMin} to ${CARD_LIMITS.seqMax} (RFC 9293 §3.1).`,
    zh: `确认号 ${f.played} 超出 32 位字段：必须是 ${CARD_LIMITS.seqMin} 到 ${CARD_LIMITS.seqMax} 之间的整数（RFC 9293 §3.1）。`,
  }),
  // (the code's name is older than its range: a length above the largest one is refused the same way)
  NEGATIVE_LENGTH: (f) => ({
    en: `A payload cannot have ${f.played} bytes: the length is a whole number from ${CARD_LIMITS.lenMin} to ${CARD_LIMITS.lenMax}.`,
    zh: `数据长度不能是 ${f.played} 字节：长度必须是 ${CARD_LIMITS.lenMin} 到 ${CARD_LIMITS.lenMax} 之间的整数。`,
  }),
  ACK_NUMBER_WITHOUT_ACK_FLAG: (f) => ({
    en: `You wrote an acknowledgment number (${f.played}) but did not set the ACK flag. The acknowledgment field counts only when ACK is set (RFC 9293 §3.1): set ACK, or clear the number.`,
    zh: `你填写了确认号（${f.played}），却没有设置 ACK 标志。只有 ACK 置位时确认号才有效（RFC 9293 §3.1）：请设置 ACK，或清空确认号。`,
  }),
  GAME_OVER: () => ({
    en: 'This round is over: no more cards can be played. Start a rematch to play again.',
    zh: '本局已经结束，不能再出牌。可以发起再来一局。',
  }),
  NOT_YOUR_MOVE: (f) => ({
    en: `Your end (${f.state}) has nothing to send right now: a TCP only sends when a user call or an arriving segment asks it to. Wait for your peer, or play a user call.`,
    zh: `你这一端（${f.state}）现在没有需要发送的报文段：TCP 只在用户调用或收到报文段时才发送。请等待对端，或打出一张用户调用牌。`,
  }),
  SEGMENT_OWED: (f) => ({
    en: `Your TCP still owes a segment (you are in ${f.state}): build and send it before the next user call.`,
    zh: `你的 TCP 还欠着一个报文段（当前状态 ${f.state}）：先把它组装好发出去，再进行下一次用户调用。`,
  }),
  CALL_REFUSED: (f) => ({
    en: `"${f.call}" is refused in ${f.state}: a real TCP answers "error: ${f.error}" (RFC 9293 §3.10).`,
    zh: `在 ${f.state} 状态下不能执行“${f.call}”：真实的 TCP 会返回“error: ${f.error}”（RFC 9293 §3.10）。`,
  }),
  MISSING_ACK_FLAG: (f) => ({
    en: `Set the ACK flag: once a TCP has received its peer's SYN, every segment it sends carries ACK with the next number it expects (${f.expected}) (RFC 9293 §3.10.7.4).`,
    zh: `需要设置 ACK 标志：收到对端的 SYN 之后，TCP 发出的每个报文段都要带 ACK，并写上它期望的下一个序号（${f.expected}）（RFC 9293 §3.10.7.4）。`,
  }),
  UNEXPECTED_ACK_FLAG: (f) => ({
    en: `This segment must not carry ACK: ${f.because?.en ?? 'a correct TCP sends it without ACK here'} (RFC 9293 §3.10).`,
    zh: `这个报文段不应带 ACK：${f.because?.zh ?? '正确的 TCP 此时发送它时不带 ACK'}（RFC 9293 §3.10）。`,
  }),
  MISSING_SYN_FLAG: () => ({
    en: 'This segment opens your half of the connection: it must carry SYN, which synchronizes your initial sequence number (RFC 9293 §3.4).',
    zh: '这个报文段用来打开你这一方向的连接：必须带 SYN，用来同步你的初始序号（RFC 9293 §3.4）。',
  }),
  SYN_IN_SYNCHRONIZED_STATE: (f) => ({
    en: `No SYN in ${f.state}: the sequence numbers are already synchronized. A SYN now would be answered by a challenge ACK (RFC 9293 §3.10.7.4, RFC 5961 §4).`,
    zh: `在 ${f.state} 状态下不能再发 SYN：双方序号已经同步。此时的 SYN 会被对端用“挑战 ACK”回应（RFC 9293 §3.10.7.4，RFC 5961 §4）。`,
  }),
  MISSING_FIN_FLAG: () => ({
    en: 'Your application called close: the segment that says "I have no more to send" carries FIN, and the FIN takes one sequence number (RFC 9293 §3.6).',
    zh: '应用已经调用 close：表示“我没有数据要发了”的报文段要带 FIN，FIN 占用一个序号（RFC 9293 §3.6）。',
  }),
  FIN_BEFORE_ESTABLISHED: (f) => ({
    en: `No FIN in ${f.state}: a connection that is not yet established cannot be closed with a FIN; FIN is processed only in synchronized states (RFC 9293 §3.10.7.4, eighth step).`,
    zh: `在 ${f.state} 状态下不能发 FIN：连接尚未建立，FIN 只在已同步的状态下处理（RFC 9293 §3.10.7.4 第八步）。`,
  }),
  UNEXPECTED_FIN_FLAG: () => ({
    en: 'No FIN here: your application has not called close, and a FIN promises that no more data will follow (RFC 9293 §3.6).',
    zh: '这里不能带 FIN：应用没有调用 close，而 FIN 表示之后不再发送数据（RFC 9293 §3.6）。',
  }),
  MISSING_RST_FLAG: (f) =>
    f.call
      ? {
          en: `A correct TCP resets here: your application's ${f.call} deletes the connection, and the peer learns it from a RST (RFC 9293 §3.10.4, §3.10.5).`,
          zh: `正确的 TCP 在这里要发复位：应用的 ${f.call} 删除了连接，对端要从 RST 得知这一点（RFC 9293 §3.10.4、§3.10.5）。`,
        }
      : {
          en: `A correct TCP resets here: the segment that arrived was not acceptable in ${f.state}${f.peerSegment ? ` (${f.peerSegment})` : ''}, so it answers with RST (RFC 9293 §3.5.2, §3.10.7).`,
          zh: `正确的 TCP 在这里要发复位：在 ${f.state} 状态下收到的报文段${f.peerSegment ? `（${f.peerSegment}）` : ''}不可接受，所以要回 RST（RFC 9293 §3.5.2、§3.10.7）。`,
        },
  UNEXPECTED_RST_FLAG: () => ({
    en: 'No RST here: nothing unacceptable arrived. A reset aborts the connection; use it only for a segment that does not belong to it (RFC 9293 §3.5.2).',
    zh: '这里不应发 RST：没有收到不可接受的报文段。复位会中止连接，只用于回应不属于本连接的报文段（RFC 9293 §3.5.2）。',
  }),
  WRONG_SEQ_NUMBER: (f) => ({
    en: `The sequence number must be ${f.expected}, not ${f.played}.${because(f, 'en')} (RFC 9293 §3.4)`,
    zh: `序号应该是 ${f.expected}，而不是 ${f.played}。${because(f, 'zh')}（RFC 9293 §3.4）`,
  }),
  WRONG_ACK_NUMBER: (f) => ({
    en: `The ACK number must be ${f.expected}, not ${f.played}.${because(f, 'en')} (RFC 9293 §3.4)`,
    zh: `确认号应该是 ${f.expected}，而不是 ${f.played}。${because(f, 'zh')}（RFC 9293 §3.4）`,
  }),
  ACK_EQUALS_SEQ: (f) => ({
    en: `The ACK number must be ${f.expected}, not ${f.played}: an ACK names the next number you expect, not the one you received.${because(f, 'en')} (RFC 9293 §3.4)`,
    zh: `确认号应该是 ${f.expected}，而不是 ${f.played}：确认号写的是你期望收到的下一个序号，而不是刚收到的那个。${because(f, 'zh')}（RFC 9293 §3.4）`,
  }),
  WRONG_LENGTH: (f) => ({
    en: `The payload must be ${f.expected} ${Number(f.expected) === 1 ? 'byte' : 'bytes'}, not ${f.played}: ${Number(f.expected) > 0 ? 'that is what your application asked to send' : 'this segment carries no data'} (RFC 9293 §3.10.2).`,
    zh: `数据长度应该是 ${f.expected} 字节，而不是 ${f.played}：${Number(f.expected) > 0 ? '这是应用要求发送的数据量' : '这个报文段不携带数据'}（RFC 9293 §3.10.2）。`,
  }),
  WRONG_SEGMENT: (f) => ({
    en: `A correct TCP in ${f.state} does not send this segment now (RFC 9293 §3.10).`,
    zh: `处于 ${f.state} 状态的正确 TCP 现在不会发送这个报文段（RFC 9293 §3.10）。`,
  }),
};

export function explainRefusal(code: RefusalCode, facts: ExplanationFacts): LocalizedText {
  return REFEREE_TEXTS[code](facts);
}

/** Why an accepted card is right, in a sentence. */
export function explainAccepted(what: LocalizedText): LocalizedText {
  return { en: `Correct: ${what.en}`, zh: `正确：${what.zh}` };
}
