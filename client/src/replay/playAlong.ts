// Play along in the replay: the next segment is hidden and the player builds it with the game's own segment
// builder (ui/hand.ts); the card is judged by shared/capture/playAlong.ts (the referee's code), the verdict and
// its explanation are shown, the real segment is revealed, and a score counts right answers as a game does.
// What is guessed lives here; the replay screen (./screen.ts) owns the position and draws this panel.
import type { JudgedConnection } from '../../../shared/capture/judge.ts';
import { addGuess, judgeGuess, NO_SCORE, type GuessResult, type PlayAlongScore } from '../../../shared/capture/playAlong.ts';
import type { Card } from '../../../shared/game/types.ts';
import { pickLocalized, type UiKey } from '../../../shared/i18n/index.ts';
import { describeSegment } from '../../../shared/tcp/segment.ts';
import { h } from '../ui/h.ts';
import { resetHand, segmentBuilder, updatePreview } from '../ui/hand.ts';
import { announce } from '../ui/live.ts';
import { lang as L, tr } from '../ui/page.ts';

interface PlayAlongState {
  on: boolean;
  /** the segment at the replay's position is hidden and being built */
  guessing: boolean;
  score: PlayAlongScore;
  /** each guessed segment's verdict, by its place in the connection */
  results: Map<number, GuessResult>;
}

const play: PlayAlongState = { on: false, guessing: false, score: NO_SCORE, results: new Map() };

/** A new file, connection or profile: the verdicts change, so the score starts again. */
export function resetPlayAlong(): void {
  play.guessing = play.on;
  play.score = NO_SCORE;
  play.results = new Map();
}

export function playAlongOn(): boolean {
  return play.on;
}

/** Whether the segment at `position` (from 0) is hidden: it is being built. */
export function hiding(position: number, total: number): boolean {
  return play.on && play.guessing && position < total;
}

/** The replay moved (a step back, or on): the segment now next is to be built, unless the replay is at its end. */
export function playAlongMoved(): void {
  play.guessing = play.on;
}

/** The "Play along" toggle with what it does, and the score once there is one. */
export function playAlongToggle(onChange: () => void): HTMLElement {
  const noteId = 'play-along-note';
  return h(
    'div',
    { class: 'play-along-bar' },
    h(
      'button',
      {
        type: 'button',
        'aria-pressed': String(play.on),
        'aria-describedby': noteId,
        'data-role': 'play-along',
        onclick: () => {
          play.on = !play.on;
          play.guessing = play.on;
          if (play.on) resetHand();
          onChange();
        },
      },
      tr('replay.playAlong'),
    ),
    h('span', { class: 'score-line', 'data-role': 'play-along-score', hidden: !play.on && play.score.total === 0 }, tr('replay.score', { right: play.score.right, total: play.score.total })),
    h('p', { id: noteId, class: 'small' }, tr('replay.playAlongNote')),
  );
}

/**
 * What Play along shows at `position` segments in: the builder for the hidden segment, or the verdict on the
 * last card with the button to build the next one. `advance` moves the replay one segment on.
 */
export function playAlongPanel(connection: JudgedConnection, position: number, relative: boolean, advance: () => void, rerender: () => void): HTMLElement | null {
  if (!play.on) return null;
  const total = connection.segments.length;
  if (hiding(position, total)) return builderPanel(connection, position, relative, advance);
  const result = play.results.get(position - 1);
  return h(
    'section',
    { class: 'panel play-along', 'aria-labelledby': 'play-along-title' },
    h('h2', { id: 'play-along-title', tabindex: -1 }, tr('replay.playAlong')),
    result ? verdictLines(result) : null,
    position < total
      ? h('button', { type: 'button', class: 'primary', 'data-role': 'play-along-next', onclick: () => ((play.guessing = true), rerender()) }, tr('replay.buildNext'))
      : h('p', { 'data-role': 'play-along-done' }, tr('replay.playAlongDone', { right: play.score.right, total: play.score.total })),
  );
}

function builderPanel(connection: JudgedConnection, position: number, relative: boolean, advance: () => void): HTMLElement {
  const segment = connection.segments[position];
  const to = segment.from === 'A' ? 'B' : 'A';
  const check = (card: Card) => {
    const result = judgeGuess(connection, position, card, relative);
    play.results.set(position, result);
    play.score = addGuess(play.score, position, result.right);
    play.guessing = false;
    advance();
    announce(`${verdictTitle(result)} ${pickLocalized(result.explanation, L())}`, !result.right);
    document.getElementById('play-along-title')?.focus();
  };
  const panel = h(
    'section',
    { class: 'panel hand play-along', 'aria-labelledby': 'play-along-title' },
    h('h2', { id: 'play-along-title', tabindex: -1 }, tr('replay.hidden', { n: segment.n, from: segment.from, to })),
    h('p', {}, tr(relative ? 'replay.buildRelative' : 'replay.buildAbsolute')),
    segment.sender.call ? h('p', { 'data-role': 'play-along-call' }, tr('replay.called', { end: segment.from, call: segment.sender.call })) : null,
    ...segmentBuilder(check, tr('replay.check')),
  );
  // the preview line is filled once the builder is on the page
  queueMicrotask(updatePreview);
  return panel;
}

function verdictTitle(result: GuessResult): string {
  return result.right ? tr('replay.guessRight') : tr('replay.guessWrong', { title: tr(`refusal.${result.refusal?.code ?? 'WRONG_SEGMENT'}` as UiKey) });
}

function verdictLines(result: GuessResult): HTMLElement {
  const explanation = pickLocalized(result.explanation, L());
  return h(
    'div',
    { 'data-role': 'play-along-verdict', 'data-right': String(result.right) },
    h('p', { class: result.right ? 'accepted' : 'refused' }, h('span', { 'aria-hidden': 'true' }, result.right ? '✔ ' : '✖ '), verdictTitle(result)),
    h('p', { class: result.right ? 'explanation right' : 'explanation', 'data-role': 'play-along-explanation' }, explanation),
    explanation.includes(result.rule) ? null : h('p', { class: 'rule small' }, tr('explain.rule', { rule: result.rule })),
    h('p', { class: 'mono', 'data-role': 'play-along-real' }, tr('replay.realSegment', { segment: describeSegment(result.real) })),
  );
}
