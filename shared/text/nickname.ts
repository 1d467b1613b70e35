// The comparison key of a nickname: two nicknames with the same skeleton look alike on the projector and the
// leaderboard, so a class or workshop session takes only one of them. The key is only compared, never shown:
// a player's nickname stays as typed (after cleanNickname in shared/protocol/events.ts). Pure code, no I/O.
//
// What the key folds together, in this order:
//  1. compatibility forms (NFKC): full-width letters (Ａ), mathematical letters (𝐀), ligatures (ﬁ), the
//     half-width katakana, ideographic spaces and the CJK compatibility ideographs become their plain forms;
//  2. invisible characters (controls, format characters, default-ignorable code points, the braille blank);
//  3. case (toLowerCase, plus ß → ss and final ς → σ, which full case folding does);
//  4. combining marks on Latin, Greek, Cyrillic, Han and script-less (digits, punctuation) letters, so "Ánna"
//     and "Anna" collide, like "Άννα" and "Αννα", "Семён" and "Семен". Marks on other scripts are kept: in
//     Japanese (か/が), Devanagari or Thai they are what tells two names apart;
//  5. the Cyrillic, Greek and Latin letters in CONFUSABLES below become the Latin letter they look like;
//  6. whitespace (names that differ only by a space, "Anna Li" / "AnnaLi", are read as one person).
//
// Not folded, on purpose:
//  - digits: 0 is not O and 1 is not l or I. Students tell two namesakes apart with a digit ("Max1", "Max2"),
//    and common fonts draw the digit apart from the letter (a narrower 0, a flag on the 1);
//  - capital I and small l, though a sans-serif font draws them alike: the key ignores case, so it could only
//    merge them by merging small i and l too, and that would refuse honest pairs (Lia / Ila, Eli / Ell);
//  - letter pairs such as rn / m or cl / d (they would refuse Erna next to Ema, Arnie next to Amie);
//  - CJK: 王小明 and 王小朋 are two names. Only NFKC touches Han (compatibility ideographs).
// A name entirely in Cyrillic or Greek is still a name: its key collides only with a name that looks the same
// ("АННА" and "ANNA"), not with any other name of its own script ("Ана" and "Анна" stay apart).

/** Removed before comparing (the same families cleanNickname removes, checked again after NFKC). */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]/gu;

/** A combining mark on a letter of these scripts (or with no letter before it) is dropped. */
const MARKS_TO_DROP = /(^|[\p{sc=Latin}\p{sc=Greek}\p{sc=Cyrillic}\p{sc=Common}\p{sc=Han}])\p{M}+/gu;

/**
 * Lower-case letters (the key is compared after case folding) that look like a Latin letter, and that letter.
 * A capital and its small letter share one entry, so where they resemble different Latin letters the capital
 * wins, being the closer copy: Greek Ν/ν counts as n (not v), Η/η as h (not n), Υ/υ as y (not u), Cyrillic
 * Н/н as h, В/в as b, М/м as m, Т/т as t.
 */
const CONFUSABLES: Readonly<Record<string, string>> = {
  // Cyrillic
  а: 'a', // а А
  в: 'b', // В
  е: 'e', // е Е (ё once its diaeresis is dropped)
  к: 'k', // к К
  м: 'm', // М
  н: 'h', // Н
  о: 'o', // о О
  р: 'p', // р Р
  с: 'c', // с С
  т: 't', // Т
  у: 'y', // у У
  х: 'x', // х Х
  ѕ: 's', // ѕ Ѕ
  і: 'i', // і І (ї once its diaeresis is dropped)
  ј: 'j', // ј Ј
  һ: 'h', // һ Һ
  ԁ: 'd', // ԁ Ԁ
  ԛ: 'q', // ԛ Ԛ
  ԝ: 'w', // ԝ Ԝ
  ү: 'y', // ү Ү
  ӏ: 'i', // ӏ Ӏ (palochka)
  ѵ: 'v', // ѵ Ѵ
  // Greek
  α: 'a', // α Α
  β: 'b', // Β
  ε: 'e', // Ε
  ζ: 'z', // Ζ
  η: 'h', // Η
  ι: 'i', // ι Ι
  κ: 'k', // κ Κ
  μ: 'm', // Μ (and the micro sign, which NFKC turns into μ)
  ν: 'n', // Ν
  ο: 'o', // ο Ο
  ρ: 'p', // ρ Ρ
  τ: 't', // τ Τ
  υ: 'y', // Υ
  χ: 'x', // χ Χ
  ϲ: 'c', // ϲ Ϲ (lunate sigma)
  ϳ: 'j', // ϳ Ϳ
  // Latin letters that NFKC and the marks step leave apart from their plain twin
  ı: 'i', // dotless i
  ɩ: 'i', // Latin iota
  ɑ: 'a', // Latin alpha
  ɡ: 'g', // script g
  ø: 'o', // ø Ø
  ł: 'l', // ł Ł
  đ: 'd', // đ Đ
  ħ: 'h', // ħ Ħ
};

const CONFUSABLE = new RegExp(`[${Object.keys(CONFUSABLES).join('')}]`, 'gu');

/** The key two nicknames are compared by; equal keys mean "looks like the same name". */
export function nicknameSkeleton(name: string): string {
  return name
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/ς/g, 'σ')
    .normalize('NFD')
    .replace(MARKS_TO_DROP, '$1')
    .replace(CONFUSABLE, (c) => CONFUSABLES[c]!)
    .replace(/\s+/gu, '')
    .normalize('NFC');
}
