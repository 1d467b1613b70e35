// The accessible DOM layer over the canvas: every control of every screen is a real button, input or
// select with an accessible name, so the game can be played from the keyboard, read by a screen reader and
// driven by a test without pixel coordinates. Phaser draws the board underneath; this layer only shows
// controls and short texts, and asks the store to act.
import type { Card, Difficulty, MissionId, Seat } from '../../../shared/game/types.ts';
import type { RefusalCode } from '../../../shared/game/types.ts';
import { FLAGS, TCP_STATES, type Flag } from '../../../shared/tcp/types.ts';
import { hasKey, LANGUAGES, pickLocalized, t, tn, type Language, type UiKey } from '../../../shared/i18n/index.ts';
import { bus, type Skin } from '../bus.ts';
import { cardLabel, NETWORK_NAMES, NETWORKS, networkLabel, PHASE_COLOURS, phaseOf, roleName, segmentLabel, type NetworkName } from '../format.ts';
import { store } from '../store.ts';
import { ladderPng } from '../board/ladder.ts';
import { countdowns, secondsLeft, type Countdown } from '../board/timers.ts';
import { fill, h, uid } from './h.ts';
import { announce } from './live.ts';
import { isLevelMission, learnMenuEntry, learnResultSlot, learnTableSlot, missionName, renderLearnMap } from '../learn/hooks.ts';
import { classMenuSection } from '../class/entry.ts';
import { backToLobby, inClassRoom } from '../class/api.ts';
import { embedded } from '../embed.ts';

const MISSIONS: MissionId[] = ['open-send-close', 'open', 'close', 'refused'];
const DIFFICULTIES: Difficulty[] = ['easy', 'normal', 'hard'];
const HAND_FLAGS: Flag[] = ['SYN', 'ACK', 'FIN', 'RST', 'PSH', 'URG'];
const CALLS = ['listen', 'connect', 'send', 'close', 'abort'] as const;

const root = () => document.getElementById('ui')!;
const L = () => store.state.lang;
const tr = (key: UiKey, params?: Record<string, string | number>) => t(L(), key, params);

function setScreen(name: string): void {
  document.getElementById('app')!.dataset.screen = name;
  document.title = `${tr('app.title')} · Handshake`;
  document.documentElement.lang = L();
}

// ---------------------------------------------------------------- shared bits

export function languageSwitch(): HTMLElement {
  const id = uid('lang');
  return h(
    'div',
    { class: 'switch', role: 'group', 'aria-labelledby': id },
    h('span', { id, class: 'switch-label' }, tr('lang.switch')),
    LANGUAGES.map((lang) =>
      h(
        'button',
        {
          type: 'button',
          class: 'toggle',
          lang,
          'aria-pressed': String(lang === L()),
          onclick: () => {
            if (lang !== L()) store.setPrefs({ lang });
          },
        },
        t(lang, `lang.${lang}` as UiKey),
      ),
    ),
  );
}

export function skinSelect(): HTMLElement {
  const id = uid('skin');
  const select = h(
    'select',
    {
      id,
      onchange: (ev: Event) => store.setPrefs({ skin: (ev.target as HTMLSelectElement).value as Skin }),
    },
    (['network', 'airport'] as const).map((skin) =>
      h('option', { value: skin, selected: skin === store.state.skin }, tr(`menu.skin.${skin}` as UiKey)),
    ),
  );
  return h('div', { class: 'field inline' }, h('label', { for: id }, tr('menu.skin')), select);
}

function selectField<T extends string>(label: string, values: readonly T[], current: T, text: (v: T) => string, name: string): HTMLElement {
  const id = uid(name);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name }, values.map((v) => h('option', { value: v, selected: v === current }, text(v)))),
  );
}

function showError(message: string): void {
  const box = document.querySelector<HTMLElement>('[data-role="error"]');
  if (box) {
    box.textContent = message;
    box.hidden = !message;
  }
  if (message) announce(message, true);
}

// ---------------------------------------------------------------- Menu

export function renderMenu(): void {
  if (embedded) return renderEmbeddedGone();
  if (renderLearnMap()) return; // Learn mode's level map, while it is open
  setScreen('menu');
  const s = store.state;
  const nickId = uid('nick');
  const codeId = uid('code');
  const form = h('form', { class: 'menu-form', onsubmit: (ev: Event) => ev.preventDefault() });
  const setupFrom = () => {
    const get = (n: string) => (form.querySelector(`[name="${n}"]`) as HTMLSelectElement | HTMLInputElement).value;
    const nickname = get('nickname').trim();
    return {
      mission: get('mission') as MissionId,
      difficulty: get('difficulty') as Difficulty,
      botLevel: get('botLevel') as 'correct' | 'erring',
      seat: get('seat') as Seat,
      network: get('network') as NetworkName,
      ...(nickname ? { nickname } : {}),
    };
  };
  const busy = (on: boolean) => form.querySelectorAll('button').forEach((b) => ((b as HTMLButtonElement).disabled = on));
  form.append(
    h('h2', {}, tr('menu.heading')),
    h(
      'div',
      { class: 'grid2' },
      selectField(tr('menu.mission'), MISSIONS, s.setup.mission, (m) => tr(`mission.${m}` as UiKey), 'mission'),
      selectField(tr('menu.difficulty'), DIFFICULTIES, s.setup.difficulty, (d) => tr(`menu.diff.${d}` as UiKey), 'difficulty'),
      selectField(tr('menu.seat'), ['A', 'B'] as Seat[], s.setup.seat, (seat) => roleName(L(), s.skin, seat), 'seat'),
      selectField(tr('menu.botLevel'), ['correct', 'erring'] as const, s.setup.botLevel, (b) => tr(b === 'correct' ? 'menu.botCorrect' : 'menu.botErring'), 'botLevel'),
      selectField(tr('menu.network'), NETWORK_NAMES, s.setup.network ?? 'reliable', (n) => networkLabel(L(), NETWORKS[n]), 'network'),
    ),
    h('div', { class: 'field' }, h('label', { for: nickId }, tr('menu.nickname')), h('input', { id: nickId, name: 'nickname', maxlength: 24, autocomplete: 'nickname', value: s.setup.nickname ?? '' })),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: async () => {
            busy(true);
            const ok = await store.startBot(setupFrom());
            if (!ok) busy(false);
          },
        },
        tr('menu.playBot'),
      ),
      h(
        'button',
        {
          type: 'button',
          onclick: async () => {
            busy(true);
            const ok = await store.createDuel(setupFrom());
            if (!ok) busy(false);
          },
        },
        tr('menu.createRoom'),
      ),
    ),
  );
  const joinForm = h('form', {
    class: 'join-form',
    onsubmit: async (ev: SubmitEvent) => {
      ev.preventDefault();
      const input = joinForm.querySelector('input') as HTMLInputElement;
      const code = input.value.trim().toUpperCase();
      if (!/^[2-9A-HJKMNP-Z]{6}$/.test(code)) {
        input.setAttribute('aria-invalid', 'true');
        showError(tr('menu.badCode'));
        input.focus();
        return;
      }
      input.removeAttribute('aria-invalid');
      const spectate = (ev.submitter as HTMLButtonElement | null)?.value === 'spectate';
      const nickname = (form.querySelector('[name="nickname"]') as HTMLInputElement).value.trim();
      await store.join(code, spectate, nickname || undefined);
    },
  });
  joinForm.append(
    h('h2', {}, tr('menu.joinHeading')),
    h(
      'div',
      { class: 'join-row' },
      h('div', { class: 'field' }, h('label', { for: codeId }, tr('menu.roomCode')), h('input', { id: codeId, name: 'code', maxlength: 6, autocomplete: 'off', autocapitalize: 'characters', spellcheck: 'false', placeholder: 'K7M3PQ', class: 'code-input' })),
      h('button', { type: 'submit', value: 'join' }, tr('menu.join')),
      h('button', { type: 'submit', value: 'spectate', class: 'quiet' }, tr('menu.spectate')),
    ),
  );
  const netNote = h('p', { class: 'net-note', 'data-role': 'net', hidden: s.net === 'connected' }, s.net === 'disconnected' ? tr('menu.offline') : tr('menu.connecting'));
  root().replaceChildren(
    h(
      'div',
      { class: 'menu-wrap' },
      h('header', { class: 'topbar' }, h('span', { class: 'brand', 'aria-hidden': 'true' }, '⇄'), h('span', { class: 'spacer' }), languageSwitch(), skinSelect()),
      h(
        'section',
        { class: 'panel menu', 'aria-labelledby': 'menu-title' },
        h('h1', { id: 'menu-title' }, tr('app.title')),
        h('p', { class: 'tagline' }, tr('app.tagline')),
        netNote,
        h('p', { class: 'error', 'data-role': 'error', role: 'alert', hidden: true }),
        learnMenuEntry(),
        form,
        joinForm,
        classMenuSection(),
        h(
          'details',
          { class: 'howto' },
          h('summary', {}, tr('menu.howto')),
          h('ol', {}, (['menu.howto.1', 'menu.howto.2', 'menu.howto.3', 'menu.howto.4'] as UiKey[]).map((k) => h('li', {}, tr(k)))),
        ),
      ),
    ),
  );
}

/** In the class host's frame there is no menu to go to: the room it showed is over or gone. */
function renderEmbeddedGone(): void {
  setScreen('menu');
  root().replaceChildren(
    h(
      'div',
      { class: 'menu-wrap' },
      h('section', { class: 'panel menu' }, h('p', { role: 'status' }, tr('room.embedGone')), h('p', { class: 'error', 'data-role': 'error', role: 'alert', hidden: true })),
    ),
  );
}

export function updateMenuNet(): void {
  const note = document.querySelector<HTMLElement>('[data-role="net"]');
  if (!note) return;
  const s = store.state.net;
  note.hidden = s === 'connected';
  note.textContent = s === 'disconnected' ? tr('menu.offline') : tr('menu.connecting');
}

// ---------------------------------------------------------------- Table

interface HandState {
  flags: Set<Flag>;
  seq: number;
  /** null: the acknowledgment field is empty (a segment without the ACK flag has none) */
  ack: number | null;
  len: number;
  data: string;
}

const hand: HandState = { flags: new Set(), seq: 0, ack: null, len: 0, data: 'HELLO' };
let lastQuizVersion = -1;
let quizMessage = '';
let refereeMessage: { kind: 'refused' | 'accepted' | 'none'; html?: HTMLElement } = { kind: 'none' };
let hintCard: { hint: Card | null } | null = null;

export function resetTableState(): void {
  hand.flags.clear();
  hand.seq = 0;
  hand.ack = null;
  hand.len = 0;
  lastQuizVersion = -1;
  quizMessage = '';
  refereeMessage = { kind: 'none' };
  hintCard = null;
}

function numberField(key: 'seq' | 'ack' | 'len', label: string, short: string, max: number): HTMLElement {
  const id = `hand-${key}`;
  const input = h('input', {
    id,
    type: 'number',
    inputmode: 'numeric',
    min: 0,
    max,
    step: 1,
    value: hand[key] ?? '',
    'data-field': key,
    oninput: (ev: Event) => {
      const raw = (ev.target as HTMLInputElement).value.trim();
      const v = Number(raw);
      // the acknowledgment number may be left empty (no ACK); the others read an empty field as 0
      if (key === 'ack' && raw === '') hand.ack = null;
      else hand[key] = Number.isFinite(v) && v >= 0 ? Math.min(max, Math.floor(v)) : 0;
      updatePreview();
    },
  }) as HTMLInputElement;
  const step = (d: number) => {
    hand[key] = Math.max(0, Math.min(max, (hand[key] ?? 0) + d));
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

function updatePreview(): void {
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

function roomLink(code: string): string {
  return `${location.origin}/r/${code}`;
}

async function copyLink(link: string, status: HTMLElement): Promise<void> {
  let ok = false;
  try {
    await navigator.clipboard.writeText(link);
    ok = true;
  } catch {
    const input = document.querySelector<HTMLInputElement>('[data-role="link"]');
    if (input) {
      input.select();
      try {
        ok = document.execCommand('copy');
      } catch {
        ok = false;
      }
    }
  }
  status.textContent = tr(ok ? 'room.copied' : 'room.copyFailed');
  announce(status.textContent);
}

function sharePanel(code: string): HTMLElement {
  const link = roomLink(code);
  const linkId = uid('link');
  const status = h('p', { class: 'small', 'aria-live': 'polite' });
  const qr = h('img', { class: 'qr', alt: tr('room.qr'), width: 132, height: 132, 'data-role': 'qr' }) as HTMLImageElement;
  // the qrcode package draws locally; loaded on demand so the menu stays light
  void import('qrcode').then((QR) =>
    QR.toDataURL(link, { margin: 1, width: 264, color: { dark: '#0f1b2d', light: '#ffffff' } }).then((url: string) => (qr.src = url)),
  );
  return h(
    'section',
    { class: 'panel share', 'aria-labelledby': 'share-title', 'data-role': 'share' },
    h('h2', { id: 'share-title' }, tr('room.share')),
    h('p', { class: 'waiting' }, tr('room.waitingPeer')),
    h(
      'div',
      { class: 'share-row' },
      h(
        'div',
        { class: 'share-text' },
        h('p', { class: 'code' }, h('span', { class: 'small' }, tr('menu.roomCode')), ' ', h('strong', { 'data-role': 'code' }, code)),
        h('label', { for: linkId }, tr('room.link')),
        h('input', { id: linkId, readonly: true, value: link, 'data-role': 'link', onfocus: (ev: Event) => (ev.target as HTMLInputElement).select() }),
        h('button', { type: 'button', onclick: () => void copyLink(link, status) }, tr('room.copy')),
        status,
      ),
      qr,
    ),
  );
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
          numbers: h('span', { class: 'nums' }, `${tr('board.iss')} ${tcb.iss}, SND.NXT ${tcb.sndNxt}, RCV.NXT ${tcb.rcvNxt}`),
        }),
        owes > 0 ? ` · ${tr('board.owes', { count: owes })}` : '',
        countdowns(seat).flatMap((c) => [' · ', h('span', { class: 'timer-left', 'data-end': seat, 'data-kind': c.kind }, timerStatus(c))]),
      );
    }),
  );
}

/**
 * What a spectator's Referee panel shows: the referee's explanations go only to the player who played the card,
 * so the panel says so and counts the game's mistakes by end and kind (from the room's scores).
 */
function spectatorReferee(): HTMLElement {
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

function refereeBody(): HTMLElement {
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

function quizBody(): HTMLElement {
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

/** Leave the room: to the Menu, or, in a class round, back to the class lobby (/c/CODE); none in the host's frame. */
function leaveButton(key: UiKey): HTMLElement | null {
  if (embedded) return null;
  const lobby = inClassRoom();
  return h('button', { type: 'button', class: 'quiet', onclick: () => void (lobby ? backToLobby() : store.leave()) }, tr(lobby ? 'room.leaveClass' : key));
}

export function renderTable(): void {
  setScreen('table');
  const s = store.state;
  const room = s.room;
  if (!room) return;
  const player = s.role === 'player' && s.seat !== null;
  const callsId = uid('calls');
  const flagsId = uid('flags');
  const dataId = 'hand-data';
  const needsShare = room.mode === 'duel' && (room.seats.A.kind === 'empty' || room.seats.B.kind === 'empty');
  const who = player ? tr('room.youAre', { role: roleName(L(), s.skin, s.seat!) }) : tr('room.spectating');

  const handPanel = player
    ? h(
        'section',
        { class: 'panel hand', 'aria-labelledby': 'hand-title' },
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
          numberField('seq', tr('hand.seqLabel'), 'SEQ', 0xffffffff),
          numberField('ack', tr('hand.ackLabel'), 'ACK', 0xffffffff),
          numberField('len', tr('hand.lenLabel'), tr('hand.len'), 1000),
        ),
        h('p', { class: 'preview', 'data-role': 'preview' }),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'button', class: 'primary', 'data-role': 'play', onclick: () => void store.play(currentCard()) }, tr('hand.play')),
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
      )
    : null;

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
      learnTableSlot(),
      h('section', { class: 'status', 'aria-label': tr('board.status'), 'data-role': 'status' }, statusList()),
      h('p', { class: 'peer', 'data-role': 'peer', role: 'status' }),
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

export function setQuizMessage(text: string): void {
  quizMessage = text;
  const el = document.querySelector<HTMLElement>('[data-role="quiz-result"]');
  if (el) el.textContent = text;
}

export function refreshQuiz(): void {
  document.querySelector('[data-role="quiz-body"]')?.replaceWith(quizBody());
}

function saveTimeline(): void {
  const s = store.state;
  if (!s.room) return;
  const url = ladderPng(s.room.game.timeline, L(), s.skin, tr('timeline.title', { code: s.room.code }));
  const a = h('a', { href: url, download: `handshake-${s.room.code}-timeline.png` });
  document.body.append(a);
  a.click();
  a.remove();
}

// ---------------------------------------------------------------- Result

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
                  seen ? h('p', { class: 'small' }, pickLocalized(seen.explanation, L()), ' ', h('em', {}, seen.rule)) : null,
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
          leaveButton('result.menu'),
        ),
        h('p', { class: 'error', 'data-role': 'error', role: 'alert', hidden: true }),
      ),
    ),
  );
}

// ---------------------------------------------------------------- errors shown on any screen

bus.on('error', ({ error }) => {
  const text = error.code === 'INTERNAL' && /time/i.test(error.message.en) ? tr('error.timeout') : pickLocalized(error.message, L());
  showError(text);
});

export function langOf(): Language {
  return L();
}
