// The nickname skeleton (shared/text/nickname.ts): look-alike letters from other scripts, full-width and
// mathematical letters, accents, case, spaces and invisible characters collide with the plain Latin name;
// Chinese names, digits and names of one non-Latin script keep their own key.
import { describe, expect, it } from 'vitest';
import { nicknameSkeleton as key } from '../../shared/text/nickname.ts';

const collide = (a: string, b: string) => expect(key(a), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(key(b));
const differ = (a: string, b: string) => expect(key(a), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).not.toBe(key(b));

describe('nicknameSkeleton', () => {
  it('is the Latin name for a Latin name, whatever its case and surrounding spaces', () => {
    expect(key('Anna')).toBe('anna');
    expect(key('  ANNA ')).toBe('anna');
    collide('anna', 'AnNa');
    collide('Anna Li', 'annali');
    collide('Straße', 'STRASSE');
    collide('İpek', 'ipek');
  });

  it('folds Cyrillic look-alikes onto Latin', () => {
    collide('Anna', '\u0410nna'); // Cyrillic capital А
    collide('Anna', 'Ann\u0430'); // Cyrillic small а
    collide('Oscar', '\u041E\u0455\u0441\u0430r'); // О ѕ с а
    collide('Pepe', '\u0420\u0435\u0440\u0435'); // Р е р е
    collide('KEMAL', '\u041A\u0415\u041C\u0410L');
    collide('ТНОМАS', 'THOMAS');
    collide('BOXY', '\u0412\u041E\u0425\u0423');
    collide('jidi', '\u0458\u0456\u0501\u0456');
    collide('Jack', '\u0408\u0430\u0441\u043A');
  });

  it('folds Greek look-alikes onto Latin', () => {
    collide('Anna', '\u0391nna'); // Greek capital Α
    collide('ANNA', '\u0391\u039D\u039D\u0391'); // Α Ν Ν Α
    collide('Kim', '\u039Aim');
    collide('Otto', '\u039F\u03C4\u03C4\u03BF'); // Ο τ τ ο
    collide('BEZHIKMNOPTYX', '\u0392\u0395\u0396\u0397\u0399\u039A\u039C\u039D\u039F\u03A1\u03A4\u03A5\u03A7');
    collide('apo', '\u03B1\u03C1\u03BF');
  });

  it('folds full-width, mathematical and ligature forms (NFKC)', () => {
    collide('Anna', '\uFF21\uFF4E\uFF4E\uFF41'); // Ａｎｎａ
    collide('Anna', '\uFF21nna');
    collide('Anna', '\u{1D400}nna'); // mathematical bold A
    collide('fiona', '\uFB01ona'); // ﬁ ligature
    collide('ハナ', 'ﾊﾅ'); // half-width katakana
  });

  it('ignores combining marks on Latin, Greek and Cyrillic letters, and invisible characters', () => {
    collide('Anna', 'A\u0301nna'); // decomposed Á
    collide('Anna', '\u00C1nna'); // precomposed Á
    collide('Anna', 'An\u0323na'); // dot below
    collide('Anna', 'An\u200Bna'); // zero-width space
    collide('Anna', '\u202EAnna'); // bidi override
    collide('Anna', 'An\u00ADna'); // soft hyphen
    collide('\u0386\u03BD\u03BD\u03B1', '\u0391\u03BD\u03BD\u03B1'); // Άννα / Αννα
    collide('Семён', 'Семен');
    collide('Łukasz', 'Lukasz');
  });

  it('combines the tricks: a mixed-script, full-width, accented copy is still the name', () => {
    collide('Anna', ' \uFF21n\u0307\u200Bn\u0430 '); // full-width Ａ, a dot above, a zero-width space, Cyrillic а
    collide('Oscar', '\u039F\u0455\u0441\u03B1r'); // Greek Ο, Cyrillic ѕ с, Greek α
    collide('HANNAH', '\u041D\u0391\u039D\u039D\u0410\u041D'); // Cyrillic Н А, Greek Α Ν
  });

  it('keeps Chinese names apart, and keeps the marks of kana', () => {
    differ('王小明', '王小朋');
    differ('王小明', '王小');
    differ('李娜', '李那');
    expect(key('王小明')).toBe('王小明');
    collide('王小明', ' 王 小明 ');
    collide('王小明', '王\u3000小明'); // ideographic space
    differ('はな', 'ばな'); // the voiced mark is a different syllable
    differ('हिना', 'हना'); // a Devanagari vowel sign is not decoration
  });

  it('keeps a name of one non-Latin script as its own key', () => {
    expect(key('Ана')).toBe('aha');
    expect(key('Наташа')).toBe('hataшa');
    differ('Ана', 'Анна');
    differ('Ана', 'Anna');
    differ('Дмитрий', 'Дмитри');
    differ('Νίκος', 'Νίκη');
    expect(key('Νίκος')).toBe(key('ΝΙΚΟΣ'));
    differ('Жора', 'Зора');
  });

  it('does not merge digits with letters, nor I with l', () => {
    differ('B0b', 'Bob');
    differ('Max1', 'Maxl');
    differ('Lia', 'Ila');
    differ('Max1', 'Max2');
    differ('Anna', 'Anna2');
  });
});
