// The Referee panel: the verdict on the player's last card (refused with its rule, or accepted), the hint the
// player asked for, and for a spectator the game's mistakes so far.
import type { Card, Seat } from '../../../shared/game/types.ts';
import { hasKey, pickLocalized, type UiKey } from '../../../shared/i18n/index.ts';
import { cardLabel, roleName } from '../format.ts';
import { store } from '../store.ts';
import { h } from './h.ts';
import { fillHand } from './hand.ts';
import { lang as L, tr } from './page.ts';

let refereeMessage: { kind: 'refused' | 'accepted' | 'none' } = { kind: 'none' };
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

export function refereeBody(): HTMLElement {
  if (store.state.role !== 'player' && store.state.room) return spectatorReferee();
  const body = h('div', { 'data-role': 'referee-body' });
  const refusal = store.state.lastRefusal;
  if (refusal && refereeMessage.kind === 'refused') {
    body.append(
      h('p', { class: 'refused' }, h('span', { 'aria-hidden': 'true' }, '✖ '), tr('explain.refused', { title: tr(`refusal.${refusal.code}` as UiKey) })),
      h('p', { class: 'explanation', 'data-role': 'explanation' }, pickLocalized(refusal.explanation, L())),
      h('p', { class: 'rule small' }, tr('explain.rule', { rule: refusal.rule })),
    );
  } else if (refereeMessage.kind === 'accepted') {
    body.append(h('p', { class: 'accepted' }, h('span', { 'aria-hidden': 'true' }, '✔ '), tr('explain.accepted')));
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

export function updateReferee(kind: 'refused' | 'accepted' | 'hint' | 'clear'): void {
  if (kind === 'refused' || kind === 'accepted') refereeMessage = { kind };
  if (kind === 'hint') hintCard = store.state.lastHint;
  if (kind === 'accepted') hintCard = null;
  if (kind === 'clear') {
    refereeMessage = { kind: 'none' };
    hintCard = null;
  }
  document.querySelector('[data-role="referee-body"]')?.replaceWith(refereeBody());
  // a verdict or a hint must be seen: bring the referee's panel into view (the hand stays where it is)
  if (kind === 'refused' || kind === 'hint') document.querySelector('.referee')?.scrollIntoView({ block: 'nearest' });
}
