// The typed dictionary of player-visible text and the one function that reads it.
import { en as enCore, zhCN as zhCore, type UiKey as CoreKey } from './ui.ts';
import { enLearn, zhLearn, type LearnKey } from './ui-learn.ts';
import { classEn, classZhCN, type ClassUiKey } from './ui-class.ts';
import { captureEn, captureZhCN, type CaptureUiKey } from './ui-capture.ts';

export type Language = 'en' | 'zh-CN';
export const LANGUAGES: readonly Language[] = ['en', 'zh-CN'];
/** Every key: the core texts and each mode's own file (Learn: ./ui-learn.ts; classes and workshops: ./ui-class.ts). */
export type UiKey = CoreKey | LearnKey | ClassUiKey | CaptureUiKey;
const en: Record<UiKey, string> = { ...enCore, ...enLearn, ...classEn, ...captureEn };
const zhCN: Record<UiKey, string> = { ...zhCore, ...zhLearn, ...classZhCN, ...captureZhCN };

export const dictionaries: Record<Language, Record<UiKey, string>> = { en, 'zh-CN': zhCN };

export type Params = Record<string, string | number>;

/** The text for `key` in `lang`, with {name} placeholders filled from `params`. */
export function t(lang: Language, key: UiKey, params?: Params): string {
  const text = dictionaries[lang][key] ?? en[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

/** The keys that come in plural forms: `${base}.one`, `${base}.other` (and any other CLDR category a language needs). */
export type PluralKey = UiKey extends infer K ? (K extends `${infer B}.other` ? B : never) : never;

/**
 * The text of a plural key for `count` in `lang`: the form Intl.PluralRules picks ("1 mistake", "2 mistakes"),
 * or `.other` when the dictionary has no text for that form. Chinese has one form, so its `.one` equals `.other`.
 * `count` is also a placeholder, unless `params` names it otherwise.
 */
export function tn(lang: Language, key: PluralKey, count: number, params?: Params): string {
  const form = `${key}.${new Intl.PluralRules(lang).select(count)}`;
  return t(lang, hasKey(form) ? form : (`${key}.other` as UiKey), { count, ...params });
}

/** True when `key` names a text in the dictionary (for keys built at run time, e.g. `refusal.${code}`). */
export function hasKey(key: string): key is UiKey {
  return Object.prototype.hasOwnProperty.call(en, key);
}

/** Pick the language from a browser language tag: any Chinese → zh-CN, else English. */
export function languageFrom(tag: string | null | undefined): Language {
  return tag && tag.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

/** The zh/en field of a LocalizedText for a UI language. */
export function pickLocalized(text: { en: string; zh: string }, lang: Language): string {
  return lang === 'zh-CN' ? text.zh : text.en;
}
