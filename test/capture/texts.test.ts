// The capture texts as texts: every error, comment and verdict note in both languages, the placeholders
// filled, and the Chinese side with Chinese punctuation next to Chinese characters (as test/engine/i18n.test.ts
// asks of the dictionary).
import { describe, expect, it } from 'vitest';
import { CAPTURE_ERROR_CODES } from '../../shared/capture/errors.ts';
import { CAPTURE_ERROR_TEXTS, COMMENT_TEXTS, JUDGE_TEXTS, TRUNCATED_NOTICE } from '../../shared/i18n/capture.ts';
import type { LocalizedText } from '../../shared/game/types.ts';

const CJK = /[\u2014\u2018-\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const ASCII_PUNCT = /[,:;!?()"]/;
function asciiNextToChinese(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    if (ASCII_PUNCT.test(text[i]) && (CJK.test(text[i - 1] ?? '') || CJK.test(text[i + 1] ?? ''))) found.push(text.slice(Math.max(0, i - 1), i + 2));
  }
  return found;
}

function everyText(): Array<[string, LocalizedText]> {
  const facts = { offset: 30, size: 70_000_000, limit: 67_108_864, packets: 12, wanted: 3, count: 1 };
  return [
    ...CAPTURE_ERROR_CODES.map((code): [string, LocalizedText] => [`error ${code}`, CAPTURE_ERROR_TEXTS[code](facts)]),
    ['truncated', TRUNCATED_NOTICE],
    ['states', COMMENT_TEXTS.states('SYN-SENT', 'LISTEN')],
    ['referee', COMMENT_TEXTS.referee('Correct.', 'RFC 9293 §3.10')],
    ['lost', COMMENT_TEXTS.lost],
    ['duplicate', COMMENT_TEXTS.duplicate('a1')],
    ['delayed', COMMENT_TEXTS.delayed],
    ['retransmission', COMMENT_TEXTS.retransmission('a1')],
    ['repeated', COMMENT_TEXTS.repeated('a1')],
    ['wrongCard', COMMENT_TEXTS.wrongCard('ACK must be 301.')],
    ['injected', COMMENT_TEXTS.injected],
    ['answers', JUDGE_TEXTS.answers('B', 'LISTEN', 'SYN-RECEIVED', 'SYN seq=100 len=0')],
    ['afterCall', JUDGE_TEXTS.afterCall('A', 'send(5)', 'ESTABLISHED')],
    ['delayedAck', JUDGE_TEXTS.delayedAck(2)],
    ['variant rfc', JUDGE_TEXTS.variant('rfc')],
    ['variant linux', JUDGE_TEXTS.variant('linux')],
    ['retransmission (judge)', JUDGE_TEXTS.retransmission],
    ['keepAlive', JUDGE_TEXTS.keepAlive],
    ['sack', JUDGE_TEXTS.sack],
    ['windowUpdate', JUDGE_TEXTS.windowUpdate],
    ['extraAck', JUDGE_TEXTS.extraAck],
    ['wrong', JUDGE_TEXTS.wrong('A', 'ESTABLISHED', 'ACK seq=101 ack=301 len=0', 'ACK seq=101 ack=300 len=0')],
    ['wrong, nothing', JUDGE_TEXTS.wrong('A', 'ESTABLISHED', null, 'ACK seq=101 ack=300 len=0')],
    ['midConnection', JUDGE_TEXTS.midConnection('ESTABLISHED')],
  ];
}

describe('capture texts', () => {
  it.each(everyText())('%s: in English and Chinese, placeholders filled, Chinese punctuation', (_name, text) => {
    expect(text.en.length).toBeGreaterThan(3);
    expect(CJK.test(text.zh)).toBe(true);
    expect(text.en).not.toMatch(/\{\w+\}|undefined|\[object/);
    expect(text.zh).not.toMatch(/\{\w+\}|undefined|\[object/);
    expect(asciiNextToChinese(text.zh)).toEqual([]);
  });

  it('say which limit a file is over, and by how much', () => {
    const large = CAPTURE_ERROR_TEXTS.TOO_LARGE({ size: 70_000_000, limit: 67_108_864 });
    expect(large.en).toContain('66.8 MiB, and the limit is 64 MiB');
    expect(large.zh).toContain('66.8 MiB，上限是 64 MiB');
    expect(CAPTURE_ERROR_TEXTS.TOO_MANY_PACKETS({ limit: 200000 }).en).toContain('more than 200000 packets');
  });
});
