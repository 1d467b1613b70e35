// The player's hand: the user-call cards and the segment builder (flags, SEQ, ACK, length). What is being
// built lives here, one hand per page, and is emptied when a new game starts.
import type { Card } from '../../../shared/game/types.ts';
import type { UiKey } from '../../../shared/i18n/index.ts';
import { store } from '../store.ts';
import { FLAGS, type Flag } from '../../../shared/tcp/types.ts';
import { CARD_LIMITS } from '../../../shared/game/limits.ts';
import { segmentLabel } from '../format.ts';
import { readTypedNumber, stepNumber } from './typedNumber.ts';
import { h, uid } from './h.ts';
import { tr } from './page.ts';

const HAND_FLAGS: Flag[] = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG'];
const CALLS = ['listen', 'connect', 'send', 'close', 'abort'] as const;

interface HandState {
  flags: Set<Flag>;
  seq: number;
  /** null: the acknowledgment field is empty (a segment without the ACK flag has none) */
  ack: number | null;
  len: number;
  data: string;
}

const hand: HandState = { flags: new Set(), seq: 0, ack: null, len: 0, data: 'HELLO' };

/** A new game: an empty builder. */
export function resetHand(): void {
  hand.flags.clear();
  hand.seq = 0;
  hand.ack = null;
  hand.len = 0;
}

/** Say under the number fields what the builder did with a typed number ('' to say nothing). */
function setNumberNote(text: string): void {
  const note = document.querySelector<HTMLElement>('[data-role="num-note"]');
  if (note) {
    note.textContent = text;
    note.hidden = !text;
  }
}

function numberField(key: 'seq' | 'ack' | 'len', label: string, short: string): HTMLElement {
  const id = `hand-${key}`;
  // sequence and acknowledgment numbers count modulo 2^32; a length does not
  const modular = key !== 'len';
  const input = h('input', {
    id,
    type: 'number',
    inputmode: 'numeric',
    min: 0,
    max: modular ? CARD_LIMITS.seqMax : CARD_LIMITS.lenMax,
    step: 1,
    value: hand[key] ?? '',
    'data-field': key,
    oninput: (ev: Event) => {
      const field = ev.target as HTMLInputElement;
      const typed = readTypedNumber(field.value, modular);
      setNumberNote('');
      // the acknowledgment number may be left empty (no ACK); the others read an empty field as 0
      if (typed.kind === 'empty') {
        if (key === 'ack') hand.ack = null;
        else hand[key] = 0;
      } else if (typed.kind === 'wrapped') {
        hand[key] = typed.value;
        field.value = String(typed.value);
        setNumberNote(tr('hand.wrapped', { typed: typed.typed, value: typed.value }));
      } else if (typed.kind === 'number') {
        hand[key] = typed.value; // as typed: a number no card may carry is the referee's to explain
      } else {
        setNumberNote(tr('hand.unreadable'));
      }
      updatePreview();
    },
  }) as HTMLInputElement;
  const step = (d: number) => {
    const next = stepNumber(hand[key] ?? 0, d, modular);
    // stepping past 2^32 − 1 comes round to 0 (and below 0 to 2^32 − 1): say so
    setNumberNote(modular && Math.abs(next - (hand[key] ?? 0)) > 1 ? tr('hand.wrappedStep', { value: next }) : '');
    hand[key] = next;
    input.value = String(hand[key]);
    updatePreview();
  };
  return h(
    'div',
    { class: 'numfield', 'data-num': key },
    h('label', { for: id }, label),
    h(
      'div',
      { class: 'stepper' },
      h('button', { type: 'button', class: 'step', 'aria-label': tr('hand.dec', { field: short }), onclick: () => step(-1) }, '−'),
      input,
      h('button', { type: 'button', class: 'step', 'aria-label': tr('hand.inc', { field: short }), onclick: () => step(1) }, '+'),
    ),
  );
}

function currentCard(): Card {
  const flags = FLAGS.filter((f) => hand.flags.has(f));
  // as built: an ACK number without the ACK flag (or the flag without a number) is the player's to make, and is
  // explained at once by the shape check before the card is sent (store.play)
  return { kind: 'segment', flags, seq: hand.seq, ack: hand.ack, len: hand.len };
}

export function updatePreview(): void {
  const preview = document.querySelector<HTMLElement>('[data-role="preview"]');
  const card = currentCard();
  if (preview && card.kind === 'segment') preview.textContent = tr('hand.preview', { segment: segmentLabel(card) });
  const ack = document.getElementById('hand-ack') as HTMLInputElement | null;
  if (ack) {
    // dimmed while neither the ACK flag nor a number is there, but never disabled: leaving the flag out with a
    // number in (or the other way round) is a mistake the referee explains
    ack.closest('.numfield')?.classList.toggle('off', !hand.flags.has('ACK') && hand.ack === null);
  }
}

export function fillHand(card: Card): void {
  if (card.kind === 'call') {
    if (card.data) hand.data = card.data;
    const dataInput = document.getElementById('hand-data') as HTMLInputElement | null;
    if (dataInput && card.data) dataInput.value = card.data;
    document.querySelector<HTMLButtonElement>(`[data-call="${card.call}"]`)?.focus();
    return;
  }
  setNumberNote('');
  hand.flags = new Set(card.flags);
  hand.seq = card.seq;
  hand.ack = card.ack;
  hand.len = card.len;
  for (const key of ['seq', 'ack', 'len'] as const) {
    const input = document.getElementById(`hand-${key}`) as HTMLInputElement | null;
    if (input) input.value = String(hand[key] ?? '');
  }
  document.querySelectorAll<HTMLButtonElement>('[data-flag]').forEach((b) => b.setAttribute('aria-pressed', String(hand.flags.has(b.dataset.flag as Flag))));
  updatePreview();
  document.querySelector<HTMLButtonElement>('[data-role="play"]')?.focus();
}

/** The hand panel: the call cards, the data to send, the flag cards, the number fields and Play. */
export function handPanelElement(): HTMLElement {
  const callsId = uid('calls');
  const dataId = 'hand-data';
  return h(
        'section',
        { class: 'panel hand', 'aria-labelledby': 'hand-title' },
        // on a phone the board is far above the hand: this strip keeps both ends' states and numbers in view while
        // a card is built (filled by ui/table.ts; hidden from screen readers, which have the status list)
        h('div', { class: 'hand-ends', 'data-role': 'hand-ends', 'aria-hidden': 'true' }),
        h('h2', { id: 'hand-title' }, tr('hand.heading')),
        h('p', { class: 'owes', 'data-role': 'owes', 'aria-live': 'polite' }),
        h('h3', { id: callsId }, tr('hand.calls')),
        h(
          'div',
          { class: 'calls', role: 'group', 'aria-labelledby': callsId },
          CALLS.map((call) =>
            h(
              'button',
              {
                type: 'button',
                class: 'card call',
                'data-call': call,
                title: tr(`call.${call}.desc` as UiKey),
                onclick: () => {
                  const card: Card = call === 'send' ? { kind: 'call', call, data: hand.data || 'HELLO' } : { kind: 'call', call };
                  void store.play(card);
                },
              },
              tr(`call.${call}` as UiKey),
            ),
          ),
        ),
        h(
          'div',
          { class: 'field inline data' },
          h('label', { for: dataId }, tr('hand.data')),
          h('input', { id: dataId, maxlength: 64, value: hand.data, oninput: (ev: Event) => (hand.data = (ev.target as HTMLInputElement).value) }),
        ),
        ...segmentBuilder((card) => void store.play(card), tr('hand.play')),
      );
}

/**
 * The segment builder: the flag cards, the number fields, the preview, the button that plays the card and
 * Clear. The Table's hand plays the card in the game; the replay's Play along judges it against the capture.
 */
export function segmentBuilder(onPlay: (card: Card) => void, playLabel: string): HTMLElement[] {
  const flagsId = uid('flags');
  return [
    h('h3', {}, tr('hand.segment')),
    h(
      'div',
      { class: 'flags', role: 'group', 'aria-labelledby': flagsId },
      h('span', { id: flagsId, class: 'sr-only' }, tr('hand.flags')),
      HAND_FLAGS.map((flag) =>
        h(
          'button',
          {
            type: 'button',
            class: 'card flag',
            'data-flag': flag,
            'aria-pressed': String(hand.flags.has(flag)),
            title: tr(`flag.${flag}` as UiKey),
            onclick: (ev: Event) => {
              if (hand.flags.has(flag)) hand.flags.delete(flag);
              else hand.flags.add(flag);
              (ev.currentTarget as HTMLElement).setAttribute('aria-pressed', String(hand.flags.has(flag)));
              updatePreview();
            },
          },
          h('span', { class: 'check', 'aria-hidden': 'true' }),
          flag,
        ),
      ),
    ),
    h(
      'div',
      { class: 'nums-row' },
      numberField('seq', tr('hand.seqLabel'), 'SEQ'),
      numberField('ack', tr('hand.ackLabel'), 'ACK'),
      numberField('len', tr('hand.lenLabel'), tr('hand.len')),
    ),
    h('p', { class: 'num-note', 'data-role': 'num-note', role: 'status', hidden: true }),
    h('p', { class: 'preview', 'data-role': 'preview' }),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', class: 'primary', 'data-role': 'play', onclick: () => onPlay(currentCard()) }, playLabel),
      h(
        'button',
        {
          type: 'button',
          class: 'quiet',
          onclick: () => fillHand({ kind: 'segment', flags: [], seq: 0, ack: null, len: 0 }),
        },
        tr('hand.clear'),
      ),
    ),
  ];
}
