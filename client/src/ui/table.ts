// The Table screen's DOM: who is where, both ends' states and numbers, the hand, the Referee, the quiz and the
// timeline's summary. The board itself (client/src/scenes/Table.ts) is drawn by Phaser underneath.
import type { Seat } from '../../../shared/game/types.ts';
import type { RoomView } from '../../../shared/protocol/events.ts';
import type { UiKey } from '../../../shared/i18n/index.ts';
import { tn } from '../../../shared/i18n/index.ts';
import { endNumbers, networkLabel, PHASE_COLOURS, phaseOf, roleName, segmentLabel } from '../format.ts';
import { store } from '../store.ts';
import { countdowns, secondsLeft, type Countdown } from '../board/timers.ts';
import { fill, h } from './h.ts';
import { announce, clearAlert } from './live.ts';
import { lang as L, root, setScreen, tr } from './page.ts';
import { languageSwitch, skinSelect } from './prefs.ts';
import { handPanelElement, resetHand, updatePreview } from './hand.ts';
import { refereeBody, resetReferee, spectatorReferee } from './referee.ts';
import { quizBody, resetQuiz } from './quiz.ts';
import { sharePanel } from './share.ts';
import { leaveButton, saveCapture, saveTimeline } from './roomActions.ts';
import { learnTableSlot, missionName } from '../learn/hooks.ts';
import { embedded } from '../embed.ts';

/** the game the table shows: a room's code and round */
let shownGame: string | null = null;
/** a bot took the other seat from a human who left, in this game: who it was */
let botTookOver: { seat: Seat; nickname: string | null } | null = null;

/** Say on the table, and aloud, that the other player left and a bot plays their end now. */
export function showBotTookOver(seat: Seat, nickname: string | null): void {
  botTookOver = { seat, nickname };
  const text = botTookOverText();
  document.querySelector<HTMLElement>('[data-role="seat-notice"]')?.replaceChildren(text);
  announce(text, true);
}

function botTookOverText(): string {
  if (!botTookOver) return '';
  const s = store.state;
  return tr('room.botTookOver', { name: botTookOver.nickname ?? tr('room.friend'), role: roleName(L(), s.skin, botTookOver.seat, true) });
}

/**
 * Follow the room on the table: when it is another game than the one shown (a rematch, the next level, another
 * room), nothing of the last one stays — no half-built segment, verdict, hint, quiz answer or alert. True when
 * it was another game.
 */
export function followGame(room: RoomView): boolean {
  const game = `${room.code}#${room.round}`;
  if (game === shownGame) return false;
  shownGame = game;
  botTookOver = null;
  resetHand();
  resetReferee();
  resetQuiz();
  clearAlert();
  return true;
}

function peerStatusText(seat: Seat): string {
  const s = store.state;
  const presence = s.presence?.seats[seat];
  const room = s.room;
  if (!presence || !room) return '';
  const role = roleName(L(), s.skin, seat);
  const name = presence.nickname ? tr('fmt.note', { text: role, note: presence.nickname }) : role;
  const line = (value: string) => tr('fmt.label', { label: name, value });
  if (seat === s.seat) return line(tr('peer.you'));
  if (presence.kind === 'empty') return tr('fmt.label', { label: role, value: tr('peer.waiting', { role: roleName(L(), s.skin, seat, true) }) });
  if (presence.kind === 'bot') {
    const thinking = room.phase === 'playing' && (room.game.owes[seat] ?? 0) > 0;
    return tr('fmt.label', { label: role, value: `${tr('peer.bot')}${thinking ? ' · ' + tr('peer.thinking') : ''}` });
  }
  if (!presence.connected) {
    if (presence.graceEndsAt) {
      const seconds = Math.max(0, Math.ceil((presence.graceEndsAt - Date.now()) / 1000));
      return line(tr('peer.reconnecting', { seconds }));
    }
    return line(tr('peer.away'));
  }
  return line(tr('peer.online'));
}

function statusList(): HTMLElement {
  const s = store.state;
  const room = s.room!;
  return h(
    'ul',
    { class: 'ends', 'data-role': 'ends' },
    (['A', 'B'] as Seat[]).map((seat) => {
      const tcb = room.game.world.tcb[seat];
      const phase = phaseOf(tcb.state);
      const owes = room.game.owes[seat] ?? 0;
      const role = roleName(L(), s.skin, seat);
      return h(
        'li',
        { 'data-end': seat, 'data-state': tcb.state },
        h('span', { class: 'dot', style: `color:${PHASE_COLOURS[phase].css}`, 'aria-hidden': 'true' }, PHASE_COLOURS[phase].symbol),
        fill(tr('board.endLine'), {
          end: h('strong', {}, seat === s.seat ? tr('board.you', { role }) : role),
          state: h('span', { class: 'state-name' }, tcb.state),
          gloss: tr(`state.${tcb.state}` as UiKey),
          phase: tr(`board.phase.${phase}` as UiKey),
          // technical names and numbers: the commas between them are the same in every language
          numbers: h('span', { class: 'nums' }, endNumbers(L(), tcb, room.game.rto?.[seat]).map(([name, value]) => `${name} ${value}`).join(', ')),
        }),
        owes > 0 ? ` · ${tr('board.owes', { count: owes })}` : '',
        countdowns(seat).flatMap((c) => [' · ', h('span', { class: 'timer-left', 'data-end': seat, 'data-kind': c.kind }, timerStatus(c))]),
      );
    }),
  );
}

/** One line per end for the hand's strip: who, its state, its numbers (the technical names, short). */
function handEnds(): HTMLElement[] {
  const s = store.state;
  const room = s.room!;
  return (['A', 'B'] as Seat[]).map((seat) => {
    const tcb = room.game.world.tcb[seat];
    const phase = phaseOf(tcb.state);
    const role = roleName(L(), s.skin, seat);
    return h(
      'p',
      { 'data-end': seat },
      h('span', { style: `color:${PHASE_COLOURS[phase].css}` }, PHASE_COLOURS[phase].symbol),
      ' ',
      h('strong', {}, seat === s.seat ? tr('board.you', { role }) : role),
      ' ',
      h('span', { class: 'state-name' }, tcb.state),
      ' ',
      h('span', { class: 'nums' }, endNumbers(L(), tcb, undefined, true).map(([name, value]) => `${name}\u00a0${value}`).join(' ')),
    );
  });
}

/**
 * What a spectator's Referee panel shows: the referee's explanations go only to the player who played the card,
 * so the panel says so and counts the game's mistakes by end and kind (from the room's scores).
 */
function timerStatus(c: Countdown): string {
  return `◷ ${tr('board.timer.status', { timer: tr(`board.timer.${c.kind}` as UiKey), seconds: secondsLeft(c) })}`;
}

/** The seconds left on the status list's timers (the board's rings count down on the canvas). */
export function tickTimers(): void {
  for (const el of document.querySelectorAll<HTMLElement>('[data-role="ends"] .timer-left')) {
    const c = countdowns(el.dataset.end as Seat).find((x) => x.kind === el.dataset.kind);
    if (!c) continue;
    const text = timerStatus(c);
    if (el.textContent !== text) el.textContent = text;
  }
}

export function renderTable(): void {
  setScreen('table');
  const s = store.state;
  const room = s.room;
  if (!room) return;
  const player = s.role === 'player' && s.seat !== null;
  const needsShare = room.mode === 'duel' && (room.seats.A.kind === 'empty' || room.seats.B.kind === 'empty');
  const who = player ? tr('room.youAre', { role: roleName(L(), s.skin, s.seat!) }) : tr('room.spectating');

  const handPanel = player ? handPanelElement() : null;

  root().replaceChildren(
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'header',
        { class: 'topbar' },
        h('h1', { class: 'room-title' }, tr('room.heading', { code: room.code })),
        h('span', { class: 'spacer' }),
        // the class host's frame has no switches of its own: the host's page around it has them
        embedded ? null : languageSwitch(),
        embedded ? null : skinSelect(),
        leaveButton('room.leave'),
      ),
      h(
        'p',
        { class: 'role-line' },
        fill(tr('room.roleLine'), {
          who: h('span', { 'data-role': 'you' }, who),
          mission: h('span', { 'data-role': 'mission' }, tr('room.mission', { name: missionName(L(), room.game.options.mission) })),
          network: h('span', { 'data-role': 'network' }, tr('room.network', { network: networkLabel(L(), room.game.options.faults) })),
        }),
      ),
      room.game.options.profile === 'linux' ? h('p', { class: 'role-line small', 'data-role': 'profile' }, tr('room.profileLinux')) : null,
      learnTableSlot(),
      h('section', { class: 'status', 'aria-label': tr('board.status'), 'data-role': 'status' }, statusList()),
      h('p', { class: 'peer', 'data-role': 'peer', role: 'status' }),
      h('p', { class: 'notice', 'data-role': 'seat-notice', role: 'status' }, botTookOverText()),
      needsShare && player ? sharePanel(room.code) : null,
      handPanel,
      h(
        'section',
        { class: 'panel referee', 'aria-labelledby': 'ref-title' },
        h('h2', { id: 'ref-title' }, tr('explain.heading')),
        refereeBody(),
        player ? h('button', { type: 'button', onclick: () => void store.askHint() }, tr('explain.askHint')) : null,
      ),
      player ? h('section', { class: 'panel quiz', 'aria-labelledby': 'quiz-title' }, h('h2', { id: 'quiz-title' }, tr('quiz.heading')), quizBody()) : null,
      h(
        'section',
        { class: 'panel timeline-panel', 'aria-labelledby': 'tl-title' },
        h('h2', { id: 'tl-title' }, tr('board.timeline')),
        h('p', { class: 'small', 'data-role': 'timeline-summary' }),
        h('button', { type: 'button', onclick: saveTimeline }, tr('timeline.save')),
        h('button', { type: 'button', onclick: saveCapture }, tr('capture.save')),
      ),
      h('p', { class: 'error', 'data-role': 'error', role: 'alert', hidden: true }),
    ),
  );
  updatePreview();
  updateTable();
}

/** Refresh the parts of the Table screen that follow the room (without rebuilding the inputs). */
export function updateTable(): void {
  const s = store.state;
  const room = s.room;
  if (!room || document.getElementById('app')!.dataset.screen !== 'table') return;
  const status = document.querySelector('[data-role="status"]');
  status?.replaceChildren(statusList());
  const peer = document.querySelector<HTMLElement>('[data-role="peer"]');
  if (peer) {
    const other: Seat[] = s.seat ? [s.seat === 'A' ? 'B' : 'A'] : ['A', 'B'];
    peer.textContent = other.map(peerStatusText).join(' · ') + (room.spectators ? ` · ${tr('room.spectators', { count: room.spectators })}` : '');
  }
  const share = document.querySelector('[data-role="share"]');
  const seatsFull = room.seats.A.kind !== 'empty' && room.seats.B.kind !== 'empty';
  if (share && seatsFull) share.remove();
  document.querySelector('[data-role="hand-ends"]')?.replaceChildren(...handEnds());
  const owes = document.querySelector<HTMLElement>('[data-role="owes"]');
  if (owes && s.seat) {
    const n = room.game.owes[s.seat] ?? 0;
    const text = n > 0 ? tn(L(), 'hand.owes', n) : tr('hand.nothingOwed');
    if (owes.textContent !== text) owes.textContent = text;
    owes.classList.toggle('due', n > 0);
  }
  const pending = s.pending || room.phase !== 'playing';
  document.querySelectorAll<HTMLButtonElement>('.hand .card.call, [data-role="play"]').forEach((b) => (b.disabled = pending));
  // a spectator's referee panel counts the mistakes as the game goes
  if (s.role !== 'player') document.querySelector('[data-role="referee-body"]')?.replaceWith(spectatorReferee());
  const summary = document.querySelector<HTMLElement>('[data-role="timeline-summary"]');
  if (summary) {
    const segs = room.game.timeline.filter((e) => e.kind === 'segment');
    summary.textContent = segs.length
      ? tr('timeline.summary', {
          alt: tn(L(), 'timeline.alt', segs.length, { a: roleName(L(), s.skin, 'A'), b: roleName(L(), s.skin, 'B') }),
          // technical tokens ("A→B SYN seq=100"): the same separator in every language
          segments: segs.map((e) => (e.kind === 'segment' ? `${e.segment.from}→${e.segment.to} ${segmentLabel(e.segment)}` : '')).join('; '),
        })
      : tr('board.timelineEmpty');
  }
}

