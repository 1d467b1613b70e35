// The player-visible texts as texts: Chinese punctuation in the zh-CN side.
import { describe, expect, it } from 'vitest';
import { dictionaries } from '../../shared/i18n/index.ts';
import { REFEREE_TEXTS, type ExplanationFacts } from '../../shared/i18n/referee.ts';
import { CLASS_ERROR_MESSAGES, CONNECTION_LIMITED, PROTOCOL_ERROR_MESSAGES } from '../../shared/i18n/errors.ts';
import { PATH_LEVELS } from '../../shared/levels/path.ts';

// Chinese characters and the punctuation that goes with them: CJK symbols and punctuation (、。「」…), the Han
// blocks, full-width forms (，：！（）…), curly quotes and the ellipsis and dash used in Chinese prose.
const CJK = /[\u2014\u2018-\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const ASCII_PUNCT = /[,:;!?()]/;

/**
 * Where a zh-CN text uses an ASCII , : ; ! ? ( ) right next to a Chinese character: "你好,Ada!" → ["好,A"].
 * A {placeholder} counts as Chinese: in a zh-CN text it stands for a name or a phrase inside Chinese prose, so
 * "你好，{name}!" is caught too. ASCII next to Latin letters, digits or spaces is left alone: seq=100, ack=301,
 * RFC 9293 §3.10.7.4, SND.NXT, 2^32, 2:30, URLs, "SYN, ACK" between technical tokens.
 */
function asciiPunctuationInChinese(text: string): string[] {
  const s = text.replace(/\{\w+\}/g, '字');
  const found: string[] = [];
  for (let i = 0; i < s.length; i++) {
    if (!ASCII_PUNCT.test(s[i]!)) continue;
    if (CJK.test(s[i - 1] ?? '') || CJK.test(s[i + 1] ?? '')) found.push(s.slice(Math.max(0, i - 1), i + 2));
  }
  return found;
}

/** Every zh-CN text of shared/i18n (the dictionary, the referee's explanations, the errors) and of the level files. */
function everyChineseText(): [where: string, text: string][] {
  const out: [string, string][] = Object.entries(dictionaries['zh-CN']).map(([key, text]) => [key, text]);
  // the referee's explanations are built from the facts of a refusal: each branch once
  const facts: ExplanationFacts[] = [
    {},
    { expected: 101, played: 100, state: 'SYN-SENT', peerSegment: 'SYN seq=300 len=0', because: { en: '100 + 1', zh: '100 + 1' }, call: 'send', error: 'connection does not exist', field: 'seq' },
    { expected: 0, played: 5, state: 'ESTABLISHED' },
  ];
  for (const [code, explain] of Object.entries(REFEREE_TEXTS)) facts.forEach((f, i) => out.push([`referee ${code} #${i}`, explain(f).zh]));
  for (const [code, message] of Object.entries({ ...PROTOCOL_ERROR_MESSAGES, ...CLASS_ERROR_MESSAGES })) out.push([`error ${code}`, message.zh]);
  out.push(['error CONNECTION_LIMITED', CONNECTION_LIMITED.message.zh]);
  const walk = (where: string, value: unknown): void => {
    if (Array.isArray(value)) value.forEach((v, i) => walk(`${where}[${i}]`, v));
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) {
        if (k === 'zh' && typeof v === 'string') out.push([where, v]);
        else walk(`${where}.${k}`, v);
      }
  };
  for (const level of PATH_LEVELS) walk(level.source, level.file);
  return out;
}

describe('Chinese punctuation', () => {
  it('the check catches ASCII punctuation in Chinese prose, and leaves technical tokens alone', () => {
    for (const bad of ['你好,Ada!', '你好，{name}!', '被拒绝:序号错误', '普通(错误的牌被拒绝)', '真的吗?', '先发 SYN;再等', '玩家({count})'])
      expect(asciiPunctuationInChinese(bad), bad).not.toEqual([]);
    for (const good of [
      '你好，Ada！',
      '被拒绝：序号错误',
      '普通（错误的牌被拒绝）',
      '确认号应该是 301，而不是 300。（RFC 9293 §3.10.7.4）',
      '报文段 SYN seq=100, ack=301 到达',
      '序号在 2^32 处回绕',
      '剩余 2:30',
      '打开 https://example.org/c/K7M3PQ 加入',
      '“error: connection does not exist”',
    ])
      expect(asciiPunctuationInChinese(good), good).toEqual([]);
  });

  it('no zh-CN text puts an ASCII , : ; ! ? ( ) next to a Chinese character', () => {
    const texts = everyChineseText();
    expect(texts.length).toBeGreaterThan(400);
    const offending = texts.flatMap(([where, text]) => asciiPunctuationInChinese(text).map((bit) => `${where}: "${bit}" in ${text}`));
    expect(offending).toEqual([]);
  });
});
