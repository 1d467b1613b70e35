// The player-visible texts as texts: Chinese punctuation in the zh-CN side, plural forms in English, templates
// whose placeholders match across the languages, and a level count that is filled in rather than written.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dictionaries, LANGUAGES, t, tn, type PluralKey, type UiKey } from '../../shared/i18n/index.ts';
import { REFEREE_TEXTS, type ExplanationFacts } from '../../shared/i18n/referee.ts';
import { CLASS_ERROR_MESSAGES, CONNECTION_LIMITED, PROTOCOL_ERROR_MESSAGES } from '../../shared/i18n/errors.ts';
import { PATH_LEVELS } from '../../shared/levels/path.ts';
import { MISSIONS } from '../../shared/game/missions.ts';

// Chinese characters and the punctuation that goes with them: CJK symbols and punctuation (、。「」…), the Han
// blocks, full-width forms (，：！（）…), curly quotes and the ellipsis and dash used in Chinese prose.
const CJK = /[\u2014\u2018-\u201d\u2026\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]/;
const ASCII_PUNCT = /[,:;!?()"]/;

/**
 * Where a zh-CN text uses an ASCII , : ; ! ? ( ) " right next to a Chinese character: "你好,Ada!" → ["好,A"].
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

/** Every zh-CN text of shared/i18n (the dictionary, the referee's explanations, the errors), of the level files and the missions. */
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
  for (const [id, mission] of Object.entries(MISSIONS)) walk(`mission ${id}`, mission);
  return out;
}

describe('Chinese punctuation', () => {
  it('the check catches ASCII punctuation in Chinese prose, and leaves technical tokens alone', () => {
    for (const bad of ['发送 "HELLO"，关闭', '你好,Ada!', '你好，{name}!', '被拒绝:序号错误', '普通(错误的牌被拒绝)', '真的吗?', '先发 SYN;再等', '玩家({count})'])
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

describe('the dictionaries', () => {
  const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

  it('each text has the same placeholders in every language', () => {
    for (const key of Object.keys(dictionaries.en) as UiKey[]) expect(placeholders(dictionaries['zh-CN'][key]), key).toEqual(placeholders(dictionaries.en[key]));
  });

  it('texts that count things have plural forms: every .one has its .other, and the right one is picked', () => {
    const keys = Object.keys(dictionaries.en);
    const ones = keys.filter((k) => k.endsWith('.one'));
    expect(ones.length).toBeGreaterThan(0);
    for (const one of ones) expect(keys, one).toContain(one.replace(/\.one$/, '.other'));
    // no "(s)" left in English
    for (const [key, text] of Object.entries(dictionaries.en)) expect(text, key).not.toMatch(/\(s\)/);
    expect(tn('en', 'class.host.mistakes', 1)).toBe('1 mistake');
    expect(tn('en', 'class.host.mistakes', 0)).toBe('0 mistakes');
    expect(tn('en', 'class.host.mistakes', 2)).toBe('2 mistakes');
    expect(tn('en', 'hand.owes', 1)).toBe('Your end must send 1 segment now.');
    expect(tn('en', 'hand.owes', 3)).toBe('Your end must send 3 segments now.');
    expect(tn('en', 'class.host.pairsDone', 1, { done: 0, total: 1 })).toBe('0 of 1 pair finished');
    expect(tn('en', 'class.host.pairsDone', 4, { done: 1, total: 4 })).toBe('1 of 4 pairs finished');
    // Chinese has one form
    for (const n of [0, 1, 2]) expect(tn('zh-CN', 'class.host.mistakes', n)).toBe(`${n} 次错误`);
    const bases: PluralKey[] = ['hand.owes', 'timeline.alt', 'class.host.mistakes', 'class.host.pairsDone', 'class.player.lastRound'];
    for (const base of bases) for (const lang of LANGUAGES) expect(tn(lang, base, 7, { done: 1, total: 7, a: 'a', b: 'b', round: 1, score: 7, rank: 1 })).not.toMatch(/\{/);
  });

  it('the referee counts bytes in the singular too', () => {
    expect(REFEREE_TEXTS.WRONG_LENGTH({ expected: 1, played: 0 }).en).toMatch(/must be 1 byte, not 0/);
    expect(REFEREE_TEXTS.WRONG_LENGTH({ expected: 5, played: 0 }).en).toMatch(/must be 5 bytes, not 0/);
  });

  it('the menu counts the levels of the path from the level list, never from a number written in the text', () => {
    for (const lang of LANGUAGES) {
      const note = dictionaries[lang]['learn.menuNote'];
      expect(note).toContain('{count}');
      expect(note, 'a written number would drift from the level list').not.toMatch(/\d/);
      expect(t(lang, 'learn.menuNote', { count: PATH_LEVELS.length })).toContain(String(PATH_LEVELS.length));
    }
  });
});

describe('one name for the initial send sequence number', () => {
  /** Every file a player reads text from: the dictionaries, the referee, the levels, and what the client draws itself. */
  function sources(): [where: string, text: string][] {
    const out: [string, string][] = [];
    for (const lang of LANGUAGES) for (const [key, text] of Object.entries(dictionaries[lang])) out.push([`${lang} ${key}`, text]);
    const facts: ExplanationFacts = { expected: 100, played: 101, state: 'SYN-SENT', because: { en: 'ISS = 100', zh: 'ISS = 100' } };
    for (const [code, explain] of Object.entries(REFEREE_TEXTS)) out.push([`referee ${code}`, JSON.stringify(explain(facts))]);
    for (const level of PATH_LEVELS) out.push([level.source, JSON.stringify(level.file)]);
    const root = fileURLToPath(new URL('../../', import.meta.url));
    for (const dir of ['client/src', 'shared/game', 'shared/i18n', 'docs']) {
      for (const file of readdirSync(join(root, dir), { recursive: true }) as string[]) {
        if (/\.(ts|md|json)$/.test(file)) out.push([`${dir}/${file}`, readFileSync(join(root, dir, file), 'utf8')]);
      }
    }
    return out;
  }

  it('is ISS (RFC 9293 §3.4) everywhere, never ISN', () => {
    const found = sources().filter(([, text]) => /\bISN\b/.test(text)).map(([where]) => where);
    expect(found).toEqual([]);
    expect(dictionaries.en['board.iss' as UiKey]).toBe('ISS');
  });
});
