// The Result screen's DOM: the outcome, both ends' last states, the score, the mistakes by kind with their
// explanations, and what comes next (rematch, the timeline, back). The ladder is drawn by client/src/scenes/Result.ts.
import type { RefusalCode, Seat } from '../../../shared/game/types.ts';
import { hasKey, pickLocalized, type UiKey } from '../../../shared/i18n/index.ts';
import { roleName } from '../format.ts';
import { store } from '../store.ts';
import { fill, h } from './h.ts';
import { lang as L, root, setScreen, tr } from './page.ts';
import { languageSwitch, skinSelect } from './prefs.ts';
import { leaveButton, reviewGame, saveCapture, saveTimeline } from './roomActions.ts';
import { isLevelMission, learnResultSlot, missionName } from '../learn/hooks.ts';
import { inClassRoom } from '../class/api.ts';
import { embedded } from '../embed.ts';


export function renderResult(): void {
  setScreen('result');
  const s = store.state;
  const room = s.room;
  if (!room) return;
  const game = room.game;
  const outcomeKey = (game.outcome ? `result.outcome.${game.outcome}` : 'result.outcome.none') as UiKey;
  const seats: Seat[] = ['A', 'B'];
  const mistakes = new Map<RefusalCode, number>();
  const shownSeats = s.seat ? [s.seat] : seats;
  for (const seat of shownSeats) {
    for (const [code, n] of Object.entries(game.score[seat].mistakesByCode)) mistakes.set(code as RefusalCode, (mistakes.get(code as RefusalCode) ?? 0) + (n ?? 0));
  }
  const player = s.role === 'player';
  root().replaceChildren(
    h(
      'div',
      { class: 'result-wrap' },
      h('header', { class: 'topbar' }, h('span', { class: 'room-title' }, tr('room.heading', { code: room.code })), h('span', { class: 'spacer' }), embedded ? null : languageSwitch(), embedded ? null : skinSelect()),
      learnResultSlot(),
      h(
        'section',
        { class: 'panel result', 'aria-labelledby': 'result-title' },
        h('p', { class: 'small' }, tr('result.heading')),
        h('h1', { id: 'result-title', 'data-outcome': game.outcome ?? 'none' }, tr(outcomeKey)),
        h('p', { class: 'small', 'data-role': 'mission' }, tr('room.mission', { name: missionName(L(), game.options.mission) })),
        h(
          'ul',
          { class: 'ends' },
          seats.map((seat) => h('li', {}, fill(tr('fmt.label'), { label: h('strong', {}, roleName(L(), s.skin, seat)), value: h('span', { class: 'state-name' }, game.world.tcb[seat].state) }))),
        ),
        h(
          'table',
          { class: 'score' },
          h('caption', {}, tr('result.score')),
          h('thead', {}, h('tr', {}, h('td', {}, ''), seats.map((seat) => h('th', { scope: 'col' }, roleName(L(), s.skin, seat))))),
          h(
            'tbody',
            {},
            (['correct', 'mistakes', 'hints'] as const).map((k) =>
              h('tr', {}, h('th', { scope: 'row' }, tr(`result.${k}` as UiKey)), seats.map((seat) => h('td', {}, String(game.score[seat][k])))),
            ),
            h('tr', {}, h('th', { scope: 'row' }, tr('result.moves')), h('td', { colspan: 2 }, String(game.moves))),
          ),
        ),
        h('h2', {}, tr('result.mistakesByKind')),
        mistakes.size
          ? h(
              'ul',
              { class: 'mistakes' },
              [...mistakes].map(([code, n]) => {
                const seen = s.refusalsSeen[code];
                return h(
                  'li',
                  {},
                  h('strong', {}, `${tr(`refusal.${code}` as UiKey)} × ${n}`),
                  // the rule after the explanation, unless the explanation already cites it
                  seen ? h('p', { class: 'small' }, pickLocalized(seen.explanation, L()), ...(pickLocalized(seen.explanation, L()).includes(seen.rule) ? [] : [' ', h('em', {}, seen.rule)])) : null,
                );
              }),
            )
          : h('p', {}, tr('result.noMistakes')),
        game.goals.length
          ? h('p', { class: 'small' }, tr('result.goalsReached', { goals: game.goals.map((g) => (hasKey(`goal.${g}`) ? tr(`goal.${g}` as UiKey) : g)).join(tr('fmt.listSep')) }))
          : null,
        h(
          'div',
          { class: 'actions' },
          // a rematch with the ends swapped makes no sense for a level of the path (it has its own replay) or a
          // class round (the host starts the next one)
          player && !isLevelMission(game.options.mission) && !inClassRoom()
            ? h('button', { type: 'button', class: 'primary', onclick: () => void store.rematch() }, tr('result.rematch'))
            : null,
          h('button', { type: 'button', onclick: saveTimeline }, tr('timeline.save')),
          h('button', { type: 'button', onclick: saveCapture }, tr('capture.save')),
          embedded ? null : h('button', { type: 'button', onclick: () => void reviewGame() }, tr('replay.review')),
          leaveButton('result.menu'),
        ),
        h('p', { class: 'error', 'data-role': 'error', role: 'alert', hidden: true }),
      ),
    ),
  );
}
