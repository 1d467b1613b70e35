// The Referee panel: the verdict on the player's last card (refused with its rule, or accepted), the hint the
// player asked for, and for a spectator the game's mistakes so far.
import type { Card, LocalizedText, Refusal, Seat } from '../../../shared/game/types.ts';
import type { Reaction } from '../../../shared/tcp/types.ts';
import { hasKey, pickLocalized, type UiKey } from '../../../shared/i18n/index.ts';
import { cardLabel, roleName } from '../format.ts';
import { store } from '../store.ts';
import { h } from './h.ts';
import { fillHand } from './hand.ts';
import { lang as L, tr } from './page.ts';

type Verdict =
  | { kind: 'none' | 'refused' }
  | { kind: 'accepted'; warning?: LocalizedText }
  /** hard mode: refused, and sent anyway; what the other end's TCP did with it */
  | { kind: 'sentAnyway'; reaction: Reaction | null };

let refereeMessage: Verdict = { kind: 'none' };
let hintCard: { hint: Card | null } | null = null;

/** A new game: no verdict, no hint. */
export function resetReferee(): void {
  refereeMessage = { kind: 'none' };
  hintCard = null;
}

export function spectatorReferee(): HTMLElement {
  const s = store.state;
  const game = s.room!.game;
  const items = (['A', 'B'] as Seat[]).flatMap((seat) =>
    Object.entries(game.score[seat].mistakesByCode)
      .filter(([, n]) => (n ?? 0) > 0)
      .map(([code, n]) =>
        h('li', {}, tr('fmt.label', { label: roleName(L(), s.skin, seat), value: `${hasKey(`refusal.${code}`) ? tr(`refusal.${code}` as UiKey) : code} × ${n}` })),
      ),
  );
  return h(
    'div',
    { 'data-role': 'referee-body' },
    h('p', { class: 'small' }, tr('explain.spectator')),
    items.length ? h('ul', { class: 'mistakes', 'data-role': 'spectator-mistakes' }, items) : h('p', { 'data-role': 'spectator-mistakes' }, tr('explain.spectatorNone')),
  );
}

/** The other end of this player's seat (whose TCP reacts to a card sent anyway). */
function peerName(): string {
  const s = store.state;
  const peer: Seat = s.seat === 'B' ? 'A' : 'B';
  return roleName(L(), s.skin, peer, true);
}

function refusalLines(refusal: Refusal, heading: string): HTMLElement[] {
  const explanation = pickLocalized(refusal.explanation, L());
  return [
    h('p', { class: 'refused' }, h('span', { 'aria-hidden': 'true' }, '✖ '), heading),
    h('p', { class: 'explanation', 'data-role': 'explanation' }, explanation),
    // the rule, unless the explanation already cites it
    ...(explanation.includes(refusal.rule) ? [] : [h('p', { class: 'rule small' }, tr('explain.rule', { rule: refusal.rule }))]),
  ];
}

export function refereeBody(): HTMLElement {
  if (store.state.role !== 'player' && store.state.room) return spectatorReferee();
  const body = h('div', { 'data-role': 'referee-body' });
  const refusal = store.state.lastRefusal;
  const verdict = refereeMessage;
  if (refusal && verdict.kind === 'refused') {
    body.append(...refusalLines(refusal, tr('explain.refused', { title: tr(`refusal.${refusal.code}` as UiKey) })));
  } else if (refusal && verdict.kind === 'sentAnyway') {
    // hard mode: it must not look accepted — refused, why, the right card, sent anyway, and what the peer does
    body.append(
      ...refusalLines(refusal, tr('explain.sentAnyway', { title: tr(`refusal.${refusal.code}` as UiKey) })),
      ...(refusal.hint ? [h('p', { 'data-role': 'right-card' }, tr('explain.correctCard', { card: cardLabel(L(), refusal.hint) }))] : []),
      h('p', { class: 'small' }, tr('explain.sentAnywayNote')),
      h('p', { class: 'peer-reaction', 'data-role': 'peer-reaction' }, tr(`explain.peer.${verdict.reaction ?? 'inFlight'}` as UiKey, { peer: peerName() })),
    );
  } else if (verdict.kind === 'accepted') {
    body.append(h('p', { class: 'accepted' }, h('span', { 'aria-hidden': 'true' }, '✔ '), verdict.warning ? tr('explain.warning', { text: pickLocalized(verdict.warning, L()) }) : tr('explain.accepted')));
  }
  if (hintCard) {
    const hint = hintCard.hint;
    body.append(
      h('p', { class: 'hint', 'data-role': 'hint' }, hint ? tr('explain.hintCard', { card: cardLabel(L(), hint) }) : tr('explain.noHint')),
    );
    if (hint) body.append(h('button', { type: 'button', class: 'quiet', onclick: () => (hint.kind === 'call' ? void store.play(hint) : fillHand(hint)) }, tr('explain.useHint')));
  }
  return body;
}

/** Show a verdict on the player's card, a hint, or nothing ('clear'). */
export function updateReferee(kind: 'refused' | 'hint' | 'clear'): void;
export function updateReferee(kind: 'accepted', warning?: LocalizedText): void;
export function updateReferee(kind: 'sentAnyway', reaction: Reaction | null): void;
export function updateReferee(kind: 'refused' | 'accepted' | 'sentAnyway' | 'hint' | 'clear', extra?: LocalizedText | Reaction | null): void {
  if (kind === 'refused') refereeMessage = { kind };
  if (kind === 'accepted') refereeMessage = extra ? { kind, warning: extra as LocalizedText } : { kind };
  if (kind === 'sentAnyway') refereeMessage = { kind, reaction: (extra as Reaction | null | undefined) ?? null };
  if (kind === 'hint') hintCard = store.state.lastHint;
  if (kind === 'accepted' || kind === 'sentAnyway') hintCard = null;
  if (kind === 'clear') {
    refereeMessage = { kind: 'none' };
    hintCard = null;
  }
  document.querySelector('[data-role="referee-body"]')?.replaceWith(refereeBody());
  // a verdict or a hint must be seen: bring the referee's panel into view (the hand stays where it is)
  if (kind === 'refused' || kind === 'sentAnyway' || kind === 'hint') document.querySelector('.referee')?.scrollIntoView({ block: 'nearest' });
}
