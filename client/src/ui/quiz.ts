// The state quiz: "what state is your end in now?", answered from a list of every TCP state.
import { TCP_STATES } from '../../../shared/tcp/types.ts';
import type { UiKey } from '../../../shared/i18n/index.ts';
import { store } from '../store.ts';
import { h } from './h.ts';
import { tr } from './page.ts';

let lastQuizVersion = -1;
let quizMessage = '';

/** A new game: no answer given yet. */
export function resetQuiz(): void {
  lastQuizVersion = -1;
  quizMessage = '';
}

export function quizBody(): HTMLElement {
  const s = store.state;
  const id = 'quiz-select';
  const wrap = h('div', { 'data-role': 'quiz-body' });
  const room = s.room!;
  const mine = s.seat ? room.game.world.tcb[s.seat].state : 'CLOSED';
  const easy = room.game.options.difficulty === 'easy';
  const select = h(
    'select',
    { id },
    TCP_STATES.map((st) => h('option', { value: st, selected: easy && st === mine }, tr('quiz.option', { state: st, gloss: tr(`state.${st}` as UiKey) }))),
  ) as HTMLSelectElement;
  if (!easy && lastQuizVersion !== room.version) select.value = '';
  wrap.append(
    h('p', { class: 'small' }, tr('quiz.question')),
    h(
      'div',
      { class: 'quiz-row' },
      h('label', { for: id }, tr('quiz.select')),
      select,
      h(
        'button',
        {
          type: 'button',
          onclick: () => {
            if (!select.value) return select.focus();
            lastQuizVersion = room.version;
            void store.answerQuiz(select.value);
          },
        },
        tr('quiz.submit'),
      ),
    ),
    h('p', { class: 'quiz-result', 'data-role': 'quiz-result' }, quizMessage),
  );
  return wrap;
}

export function setQuizMessage(text: string): void {
  quizMessage = text;
  const el = document.querySelector<HTMLElement>('[data-role="quiz-result"]');
  if (el) el.textContent = text;
}

export function refreshQuiz(): void {
  // a move's animation ends after the player may have left the room (a class round stopped meanwhile)
  if (!store.state.room) return;
  document.querySelector('[data-role="quiz-body"]')?.replaceWith(quizBody());
}
