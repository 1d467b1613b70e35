// The class screens, in the accessible DOM layer: the host's projector (join code, link and QR; the lobby;
// the round's pairs as tiles with the class's most common mistakes; the leaderboard; the podium) and the
// player's phone (nickname, lobby, last round). Feed updates refresh regions in place; the setup form and
// a rename in progress are never rebuilt under the host's hands.
import type { FeedPair, FeedPlayer, FeedSeat, LeaderboardEntry, SessionFeed, SessionMode } from '../../../shared/protocol/class.ts';
import { ROUND_LIMIT_SECONDS } from '../../../shared/protocol/class.ts';
import type { MissionId, Seat } from '../../../shared/game/types.ts';
import { MISSIONS } from '../../../shared/game/index.ts';
import { hasKey, pickLocalized, t, tn, type UiKey } from '../../../shared/i18n/index.ts';
import { PHASE_COLOURS, phaseOf, roleName } from '../format.ts';
import { store } from '../store.ts';
import { fill, h, uid } from '../ui/h.ts';
import { drawQr } from '../ui/share.ts';
import { joinNote, whenJoinAddressKnown } from '../ui/joinAddress.ts';
import { languageSwitch } from '../ui/prefs.ts';
import { announce } from '../ui/live.ts';
import { classState, clearError, host, joinAs, leaveSession, reset } from './api.ts';
import { bus } from '../bus.ts';
import './class.css';

const L = () => store.state.lang;
const tr = (key: UiKey, params?: Record<string, string | number>) => t(L(), key, params);
const root = () => document.getElementById('ui')!;

/** The missions a round can be (the server's startRound schema), titled from the level data. */
const ROUND_MISSIONS = (['open-send-close', 'open', 'close', 'refused'] as MissionId[]).filter((id) => id in MISSIONS);
const FAULT_STEPS = [0, 0.05, 0.1, 0.2, 0.3];
const TIME_STEPS = [30, 60, 90, 120, 180, 300, 600, 900];

function missionTitle(id: string): string {
  const level = MISSIONS[id];
  if (level) return pickLocalized(level.title, L());
  return hasKey(`mission.${id}`) ? tr(`mission.${id}` as UiKey) : id;
}

/** The host's choices for the next round, kept across re-renders and rounds. */
const setup = {
  mission: 'open-send-close' as MissionId,
  difficulty: 'normal' as 'easy' | 'normal' | 'hard',
  skin: null as 'network' | 'airport' | null,
  loss: 0,
  duplicate: 0,
  reorder: 0,
  timeLimit: null as number | null,
};

let editing: { id: string; draft: string } | null = null;
let watching: { room: string; n: number } | null = null;
let renderedPhase: string | null = null;
/** the projector page (/c/CODE/watch#VIEWKEY): the same screens, without the host's controls */
const readOnly = () => classState.role === 'viewer';

function setScreen(name: string): void {
  document.getElementById('app')!.dataset.screen = name;
  document.title = classState.code ? `${tr('class.host.title', { code: classState.code })} · Handshake` : 'Handshake';
  document.documentElement.lang = L();
}

function errorBox(): HTMLElement {
  return h('p', { class: 'error', 'data-role': 'class-error', role: 'alert', hidden: !classState.error }, classState.error ?? '');
}

export function updateError(): void {
  const box = document.querySelector<HTMLElement>('[data-role="class-error"]');
  if (!box) return;
  box.textContent = classState.error ?? '';
  box.hidden = !classState.error;
}

function fmtTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

function skinOf(feed: SessionFeed | null): 'network' | 'airport' {
  return feed?.settings?.skin ?? setup.skin ?? store.state.skin;
}

// ------------------------------------------------------------------ entry point

export function renderClass(): void {
  switch (classState.view) {
    case 'host':
      return renderHost();
    case 'join':
      return renderJoin();
    case 'player':
      return renderPlayer();
    case 'notice':
      return renderNotice();
    default:
      return renderLoading();
  }
}

/** Something changed in the session: refresh what shows it. */
export function updateClass(change: 'feed' | 'you' | 'view' | 'error'): void {
  if (change === 'error') return updateError();
  if (change === 'view') return renderClass();
  if (classState.view === 'host' && change === 'feed') return updateHost();
  if (classState.view === 'player' && change === 'you') return renderPlayer();
}

function renderLoading(): void {
  setScreen('class-player');
  root().replaceChildren(h('div', { class: 'class-phone' }, h('section', { class: 'panel' }, h('p', { role: 'status' }, tr('class.host.restoring')))));
}

function renderNotice(): void {
  setScreen('class-player');
  root().replaceChildren(
    h(
      'div',
      { class: 'class-phone' },
      h(
        'section',
        { class: 'panel' },
        h('h1', {}, tr(classState.notice ?? 'class.player.expired')),
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              reset();
              history.replaceState(null, '', '/');
              bus.emit('screen:goto', { screen: 'Menu' });
            },
          },
          tr('class.host.backMenu'),
        ),
      ),
    ),
  );
}

// ------------------------------------------------------------------ host

function joinPanel(compact: boolean): HTMLElement {
  const code = classState.code ?? '';
  let link = `${location.origin}/c/${code}`;
  const shown = (l: string) => l.replace(/^https?:\/\//, '');
  const status = h('span', { class: 'small', 'aria-live': 'polite' });
  const qr = h('img', { class: 'class-qr', src: `/c/${code}/qr.svg`, alt: tr('class.host.qr'), 'data-role': 'class-qr' }) as HTMLImageElement;
  const linkText = h('p', { class: 'join-link', 'data-role': 'join-link' }, shown(link));
  const linkInput = h('input', { id: 'class-link', class: 'sr-only', readonly: true, value: link }) as HTMLInputElement;
  // a host page opened on 127.0.0.1 hands out an address phones can reach, or says why it cannot
  const note = joinNote();
  whenJoinAddressKnown(note, (origin) => {
    link = `${origin}/c/${code}`;
    linkText.textContent = shown(link);
    linkInput.value = link;
    drawQr(qr, link);
  });
  return h(
    'section',
    { class: `panel class-join${compact ? ' compact' : ''}`, 'aria-label': tr('class.host.joinAt') },
    qr,
    h(
      'div',
      { class: 'class-join-text' },
      h('p', { class: 'join-label' }, tr('class.host.joinAt')),
      linkText,
      compact ? null : note,
      h('p', { class: 'join-label' }, tr('class.host.code')),
      h('p', { class: 'join-code', 'data-role': 'join-code' }, code),
      compact
        ? null
        : h(
            'div',
            { class: 'actions' },
            h('label', { class: 'sr-only', for: 'class-link' }, tr('class.host.link')),
            linkInput,
            h(
              'button',
              {
                type: 'button',
                class: 'quiet',
                onclick: async () => {
                  try {
                    await navigator.clipboard.writeText(link);
                    status.textContent = tr('room.copied');
                  } catch {
                    status.textContent = tr('room.copyFailed');
                  }
                  announce(status.textContent ?? '');
                },
              },
              tr('class.host.copy'),
            ),
            status,
          ),
    ),
  );
}

function lockControl(feed: SessionFeed): HTMLElement {
  return h(
    'div',
    { class: 'lock-row', 'data-role': 'lock' },
    // the padlock is drawn in CSS: an emoji would show as an empty box on a computer without an emoji font
    h('p', { class: feed.locked ? 'locked' : 'small' }, feed.locked ? h('span', { class: 'lock-icon', 'aria-hidden': 'true' }) : null, tr(feed.locked ? 'class.host.locked' : 'class.host.open')),
    h('button', { type: 'button', class: 'quiet', onclick: () => void host.lock(!feed.locked) }, tr(feed.locked ? 'class.host.unlock' : 'class.host.lock')),
  );
}

function playerItem(p: FeedPlayer): HTMLElement {
  const state = p.connected ? tr('class.host.connected') : tr('class.host.away');
  if (editing?.id === p.id) {
    const id = uid('rename');
    const input = h('input', {
      id,
      maxlength: 24,
      value: editing.draft,
      oninput: (ev: Event) => editing && (editing.draft = (ev.target as HTMLInputElement).value),
    }) as HTMLInputElement;
    const save = async () => {
      const name = input.value.trim().replace(/\s+/g, ' ');
      if (!name) return input.focus();
      const reply = await host.rename(p.id, name);
      if (reply.ok) {
        editing = null;
        updateHost(true);
      }
    };
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') void save();
      if (ev.key === 'Escape') {
        editing = null;
        updateHost(true);
      }
    });
    queueMicrotask(() => input.focus());
    return h(
      'li',
      { class: 'player editing' },
      h('label', { for: id, class: 'sr-only' }, tr('class.host.renameLabel', { name: p.nickname })),
      input,
      h('button', { type: 'button', onclick: () => void save() }, tr('class.host.save')),
      h('button', { type: 'button', class: 'quiet', onclick: () => ((editing = null), updateHost(true)) }, tr('class.host.cancel')),
    );
  }
  return h(
    'li',
    { class: `player${p.connected ? '' : ' away'}`, 'data-player': p.nickname },
    h('span', { class: 'dot', 'aria-hidden': 'true' }, p.connected ? '●' : '○'),
    h('span', { class: 'nick' }, p.nickname),
    h('span', { class: 'small' }, state + (p.status === 'waiting' ? ` · ${tr('class.host.waiting')}` : '')),
    readOnly() ? null : h(
      'span',
      { class: 'player-actions' },
      h(
        'button',
        { type: 'button', class: 'icon', title: tr('class.host.rename', { name: p.nickname }), 'aria-label': tr('class.host.rename', { name: p.nickname }), onclick: () => ((editing = { id: p.id, draft: p.nickname }), updateHost(true)) },
        '✎',
      ),
      h(
        'button',
        {
          type: 'button',
          class: 'icon',
          title: tr('class.host.remove', { name: p.nickname }),
          'aria-label': tr('class.host.remove', { name: p.nickname }),
          onclick: () => {
            if (confirm(tr('class.host.confirmRemove', { name: p.nickname }))) void host.remove(p.id);
          },
        },
        '✕',
      ),
    ),
  );
}

function playersPanel(feed: SessionFeed): HTMLElement {
  return h(
    'section',
    { class: 'panel class-players', 'aria-labelledby': 'class-players-title', 'data-region': 'players' },
    h('h2', { id: 'class-players-title' }, tr('class.host.players', { count: feed.players.length })),
    readOnly() ? null : lockControl(feed),
    feed.players.length
      ? h('ul', { class: 'player-list' }, feed.players.map(playerItem))
      : h('p', { class: 'small empty' }, tr('class.host.noPlayers')),
  );
}

function selectRow<T extends string | number>(label: string, values: readonly T[], current: T, text: (v: T) => string, onchange: (v: string) => void): HTMLElement {
  const id = uid('setup');
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h(
      'select',
      { id, onchange: (ev: Event) => onchange((ev.target as HTMLSelectElement).value) },
      values.map((v) => h('option', { value: String(v), selected: v === current }, text(v))),
    ),
  );
}

function setupPanel(feed: SessionFeed): HTMLElement {
  const mode: SessionMode = feed.mode;
  const limit = setup.timeLimit ?? ROUND_LIMIT_SECONDS[mode];
  const times = TIME_STEPS.includes(limit) ? TIME_STEPS : [...TIME_STEPS, limit].sort((a, b) => a - b);
  const pct = (v: number) => (v === 0 ? tr('class.host.none') : `${Math.round(v * 100)} %`);
  const skin = setup.skin ?? store.state.skin;
  const connected = feed.players.filter((p) => p.connected).length;
  return h(
    'section',
    { class: 'panel class-setup', 'aria-labelledby': 'class-setup-title' },
    h('h2', { id: 'class-setup-title' }, tr('class.host.setup')),
    h('p', { class: 'small' }, fill(tr('class.host.modeLine'), { mode: h('strong', {}, tr(`class.mode.${mode}` as UiKey)) })),
    selectRow(tr('class.host.mission'), ROUND_MISSIONS, setup.mission, missionTitle, (v) => (setup.mission = v as MissionId)),
    h(
      'div',
      { class: 'setup-pair' },
      selectRow(tr('class.host.difficulty'), ['easy', 'normal', 'hard'] as const, setup.difficulty, (d) => tr(`menu.diff.${d}` as UiKey), (v) => (setup.difficulty = v as typeof setup.difficulty)),
      selectRow(tr('class.host.skin'), ['network', 'airport'] as const, skin, (s) => tr(`menu.skin.${s}` as UiKey), (v) => (setup.skin = v as 'network' | 'airport')),
    ),
    h(
      'fieldset',
      { class: 'faults' },
      h('legend', {}, tr('class.host.faults')),
      (['loss', 'duplicate', 'reorder'] as const).map((k) =>
        selectRow(tr(`class.host.${k}` as UiKey), FAULT_STEPS, setup[k], pct, (v) => (setup[k] = Number(v))),
      ),
    ),
    selectRow(tr('class.host.timeLimit'), times, limit, (s) => (s % 60 === 0 ? tr('class.host.minutes', { n: s / 60 }) : tr('class.host.seconds', { n: s })), (v) => (setup.timeLimit = Number(v))),
    h(
      'div',
      { class: 'actions' },
      h(
        'button',
        {
          type: 'button',
          class: 'primary big',
          'data-role': 'start',
          disabled: connected === 0,
          onclick: async (ev: Event) => {
            const button = ev.currentTarget as HTMLButtonElement;
            button.disabled = true;
            const reply = await host.start({
              mission: setup.mission,
              difficulty: setup.difficulty,
              skin: setup.skin ?? store.state.skin,
              faults: { loss: setup.loss, duplicate: setup.duplicate, reorder: setup.reorder },
              timeLimit: setup.timeLimit ?? ROUND_LIMIT_SECONDS[mode],
            });
            if (!reply.ok) button.disabled = false;
          },
        },
        tr('class.host.start', { round: feed.round + 1 }),
      ),
    ),
    h('p', { class: 'small', 'data-role': 'need-players', hidden: connected > 0 }, tr('class.host.needPlayers')),
  );
}

function statePill(seat: FeedSeat): HTMLElement {
  const phase = phaseOf(seat.state);
  const colour = PHASE_COLOURS[phase];
  return h(
    'span',
    { class: `pill phase-${phase}`, style: `--phase:${colour.css}` },
    h('span', { 'aria-hidden': 'true' }, colour.symbol + ' '),
    h('strong', {}, seat.state),
    h('span', { class: 'pill-text' }, ` ${tr(`state.${seat.state}` as UiKey)}`),
  );
}

function seatRow(pair: FeedPair, seatKey: Seat, skin: 'network' | 'airport'): HTMLElement {
  const seat = pair.seats[seatKey];
  const name = seat.kind === 'bot' ? `⚙ ${tr('class.host.bot')}` : (seat.nickname ?? '?');
  return h(
    'div',
    { class: `seat seat-${seatKey}${seat.connected || seat.kind === 'bot' ? '' : ' away'}` },
    h('span', { class: 'role' }, roleName(L(), skin, seatKey, true)),
    h('span', { class: 'nick' }, seat.kind === 'human' && !seat.connected ? fill(tr('fmt.note'), { text: name, note: h('span', { class: 'small' }, tr('class.host.away')) }) : name),
    statePill(seat),
    h('span', { class: `mistakes${seat.mistakes ? ' some' : ''}` }, tn(L(), 'class.host.mistakes', seat.mistakes)),
  );
}

function pairTile(pair: FeedPair, index: number, skin: 'network' | 'airport'): HTMLElement {
  const n = index + 1;
  const done = pair.goals.length;
  const outcome = pair.outcome ? tr(`class.outcome.${pair.outcome}` as UiKey) : null;
  const nameOf = (s: FeedSeat) => (s.kind === 'bot' ? tr('class.host.bot') : (s.nickname ?? '?'));
  return h(
    'li',
    { class: `tile${pair.finished ? ' finished' : ''}${pair.outcome && pair.outcome !== 'completed' ? ' failed' : ''}`, 'aria-label': tr('class.host.watchTitle', { n, a: nameOf(pair.seats.A), b: nameOf(pair.seats.B) }) },
    h(
      'div',
      { class: 'tile-head' },
      h('span', { class: 'tile-n' }, `#${n}`),
      h('span', { class: 'tile-status' }, pair.finished ? `✔ ${tr('class.host.finished')}${outcome ? ` · ${outcome}` : ''}` : outcome ?? tr('class.host.playing')),
      h('button', { type: 'button', class: 'icon', 'aria-label': tr('class.host.watch', { n }), title: tr('class.host.watch', { n }), onclick: () => openWatch(pair.room, n) }, tr('class.host.large')),
    ),
    seatRow(pair, 'A', skin),
    seatRow(pair, 'B', skin),
    h(
      'div',
      { class: 'goals' },
      h('span', { class: 'small' }, tr('class.host.goals', { done, total: pair.goalsTotal })),
      h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { style: `width:${pair.goalsTotal ? Math.round((100 * done) / pair.goalsTotal) : 0}%` })),
    ),
  );
}

function tilesList(feed: SessionFeed, skin: 'network' | 'airport'): HTMLElement {
  const size = feed.pairs.length <= 4 ? ' few' : feed.pairs.length > 24 ? ' many' : '';
  return h('ul', { class: `tiles${size}`, 'data-region': 'tiles' }, feed.pairs.map((p, i) => pairTile(p, i, skin)));
}

function mistakesPanel(feed: SessionFeed): HTMLElement {
  return h(
    'section',
    { class: 'panel class-mistakes', 'aria-labelledby': 'class-mistakes-title', 'data-region': 'mistakes' },
    h('h2', { id: 'class-mistakes-title' }, tr('class.host.topMistakes')),
    feed.mistakes.length
      ? h(
          'ol',
          {},
          feed.mistakes.map((m) =>
            h(
              'li',
              {},
              h('p', { class: 'm-title' }, h('strong', {}, hasKey(`refusal.${m.code}`) ? tr(`refusal.${m.code}` as UiKey) : m.code), h('span', { class: 'm-count' }, ` ${tr('class.host.times', { count: m.count })}`)),
              m.explanation ? h('p', { class: 'm-explain' }, pickLocalized(m.explanation, L())) : null,
              m.rule ? h('p', { class: 'small' }, m.rule) : null,
            ),
          ),
        )
      : h('p', { class: 'small' }, tr('class.host.noMistakes')),
  );
}

function roundBar(feed: SessionFeed): HTMLElement {
  const s = feed.settings;
  const done = feed.pairs.filter((p) => p.finished).length;
  return h(
    'section',
    { class: 'round-bar', 'data-region': 'roundbar', 'aria-label': tr('class.host.round', { round: feed.round }) },
    h('h2', {}, tr('class.host.round', { round: feed.round })),
    s ? h('span', { class: 'mission' }, missionTitle(s.mission)) : null,
    h('span', { class: 'clock', 'data-role': 'clock', role: 'timer' }, s ? tr('class.host.timeLeft', { time: fmtTime((s.endsAt - Date.now()) / 1000) }) : ''),
    h('span', { class: 'done' }, tn(L(), 'class.host.pairsDone', feed.pairs.length, { done, total: feed.pairs.length })),
    h('span', { class: 'spacer' }),
    readOnly() ? null : h('button', { type: 'button', class: 'danger', onclick: () => void host.stop() }, tr('class.host.stop')),
  );
}

function leaderboardTable(entries: LeaderboardEntry[], round: number): HTMLElement {
  return h(
    'section',
    { class: 'panel class-board', 'aria-labelledby': 'class-board-title', 'data-region': 'board' },
    h('h2', { id: 'class-board-title' }, tr('class.host.leaderboard', { round })),
    h(
      'table',
      { class: 'leaderboard' },
      h('thead', {}, h('tr', {}, [tr('class.host.rank'), tr('class.host.nickname'), tr('class.host.roundScore'), tr('class.host.total')].map((x) => h('th', { scope: 'col' }, x)))),
      h(
        'tbody',
        {},
        entries.map((e) =>
          h('tr', { class: e.rank <= 3 ? `top top-${e.rank}` : '' }, h('td', {}, String(e.rank)), h('th', { scope: 'row' }, e.nickname), h('td', {}, String(e.round)), h('td', {}, h('strong', {}, String(e.total)))),
        ),
      ),
    ),
  );
}

function podium(entries: LeaderboardEntry[]): HTMLElement {
  const order = [entries[1], entries[0], entries[2]];
  return h(
    'section',
    { class: 'panel class-podium', 'aria-labelledby': 'class-podium-title' },
    h('h2', { id: 'class-podium-title' }, tr('class.host.podium')),
    h('p', {}, tr('class.host.ended')),
    h(
      'ol',
      { class: 'podium' },
      order.map((e, i) =>
        e ? h('li', { class: `step step-${[2, 1, 3][i]}` }, h('span', { class: 'medal', 'aria-hidden': 'true' }, String(e.rank)), h('span', { class: 'nick' }, e.nickname), h('span', { class: 'pts' }, String(e.total)), h('span', { class: 'sr-only' }, `${tr('class.host.rank')} ${e.rank}`)) : null,
      ),
    ),
  );
}

function hostMain(feed: SessionFeed): HTMLElement {
  const skin = skinOf(feed);
  if (feed.phase === 'playing') {
    return h(
      'div',
      { class: 'class-round' },
      roundBar(feed),
      h(
        'div',
        { class: 'round-grid' },
        h(
          'section',
          { class: 'tiles-wrap', 'aria-label': tr('class.host.pairs') },
          tilesList(feed, skin),
        ),
        h('div', { class: 'round-side' }, mistakesPanel(feed), joinPanel(true)),
      ),
    );
  }
  if (feed.phase === 'ended') {
    return h('div', { class: 'class-ended' }, podium(feed.podium ?? []), feed.leaderboard ? leaderboardTable(feed.leaderboard, feed.round) : null);
  }
  if (feed.phase === 'results') {
    return h(
      'div',
      { class: 'class-results' },
      feed.leaderboard ? leaderboardTable(feed.leaderboard, feed.round) : null,
      h('div', { class: 'results-side' }, mistakesPanel(feed), readOnly() ? null : setupPanel(feed)),
      h('div', { class: 'results-side' }, joinPanel(true), playersPanel(feed)),
    );
  }
  if (readOnly()) return h('div', { class: 'class-lobby view' }, joinPanel(true), playersPanel(feed));
  return h('div', { class: 'class-lobby' }, joinPanel(false), playersPanel(feed), setupPanel(feed));
}

/** The read-only projector page, in a new tab: the teacher drives from the laptop and projects this one. */
function projectorLink(): HTMLElement {
  return h(
    'a',
    { class: 'button quiet', href: host.projectorUrl(), target: '_blank', rel: 'noopener', 'data-role': 'projector', title: tr('class.host.projectorHint') },
    // read as "Projector view (opens …)"; the hint's brackets are the language's own
    h('span', { 'aria-hidden': 'true' }, tr('class.host.projector')),
    h('span', { class: 'sr-only' }, tr('fmt.note', { text: tr('class.host.projector'), note: tr('class.host.projectorHint') })),
  );
}

function renderHost(): void {
  setScreen('class-host');
  const feed = classState.feed;
  if (!feed) return renderLoading();
  renderedPhase = feed.phase;
  root().replaceChildren(
    h(
      'div',
      { class: `class-host${readOnly() ? ' projector' : ''}` },
      h(
        'header',
        { class: 'topbar' },
        h('span', { class: 'brand', 'aria-hidden': 'true' }, '⇄'),
        h('h1', { class: 'class-title' }, tr('class.host.title', { code: feed.code })),
        h('span', { class: 'badge' }, tr(`class.mode.short.${feed.mode}` as UiKey)),
        readOnly() ? h('span', { class: 'badge' }, tr('class.view.badge')) : null,
        h('span', { class: 'spacer' }),
        languageSwitch(),
        readOnly() ? null : projectorLink(),
        readOnly() ? null : h('button', { type: 'button', class: 'quiet', 'data-role': 'csv', onclick: () => void downloadResults(feed.code) }, tr('class.host.csv')),
        readOnly()
          ? null
          : feed.phase !== 'ended'
            ? h('button', { type: 'button', class: 'quiet', onclick: () => confirm(tr('class.host.confirmEnd')) && void host.end() }, tr('class.host.end'))
            : h('button', { type: 'button', class: 'quiet', onclick: () => (reset(), history.replaceState(null, '', '/'), bus.emit('screen:goto', { screen: 'Menu' })) }, tr('class.host.backMenu')),
      ),
      errorBox(),
      h('div', { 'data-region': 'main' }, hostMain(feed)),
      watchOverlay(),
    ),
  );
}

function replaceRegion(name: string, next: HTMLElement | null): void {
  const old = document.querySelector(`[data-region="${name}"]`);
  if (old && next) old.replaceWith(next);
}

/** A feed arrived: rebuild the parts that show it (the whole screen when the phase changed). */
function updateHost(force = false): void {
  const feed = classState.feed;
  if (!feed || document.getElementById('app')!.dataset.screen !== 'class-host') return;
  if (feed.phase !== renderedPhase) {
    editing = null;
    if (feed.phase !== 'playing') closeWatch();
    return renderHost();
  }
  const skin = skinOf(feed);
  if (!editing || force) replaceRegion('players', playersPanel(feed));
  replaceRegion('mistakes', mistakesPanel(feed));
  if (feed.phase === 'playing') {
    replaceRegion('roundbar', roundBar(feed));
    replaceRegion('tiles', tilesList(feed, skin));
  }
  const start = document.querySelector<HTMLButtonElement>('[data-role="start"]');
  const connected = feed.players.filter((p) => p.connected).length;
  if (start) start.disabled = connected === 0;
  const need = document.querySelector<HTMLElement>('[data-role="need-players"]');
  if (need) need.hidden = connected > 0;
}

/** Once a second: the round's clock. */
export function tickClock(): void {
  const clock = document.querySelector<HTMLElement>('[data-role="clock"]');
  const s = classState.feed?.settings;
  if (clock && s && classState.feed?.phase === 'playing') clock.textContent = tr('class.host.timeLeft', { time: fmtTime((s.endsAt - Date.now()) / 1000) });
}

function watchTitle(room: string, n: number): string {
  const pair = classState.feed?.pairs.find((p) => p.room === room);
  if (!pair) return tr('class.host.watch', { n });
  const nameOf = (s: FeedSeat) => (s.kind === 'bot' ? tr('class.host.bot') : (s.nickname ?? '?'));
  return tr('class.host.watchTitle', { n, a: nameOf(pair.seats.A), b: nameOf(pair.seats.B) });
}

// one pair large: the ordinary spectator page of its room, in a frame over the projector view
function watchOverlay(): HTMLElement {
  if (!watching) return h('div', { 'data-role': 'watch', hidden: true });
  return h(
    'div',
    { class: 'watch-overlay', 'data-role': 'watch', role: 'dialog', 'aria-label': tr('class.host.watch', { n: watching.n }) },
    h('div', { class: 'watch-bar' }, h('h2', {}, watchTitle(watching.room, watching.n)), h('button', { type: 'button', class: 'primary close', onclick: () => closeWatch() }, tr('class.host.closeWatch'))),
    h('iframe', {
      // embed=1: the room's page without its own way out to the menu, language or skin switch
      src: `/r/${watching.room}?spectate=1&embed=1`,
      title: tr('class.host.watch', { n: watching.n }),
      // the board sizes itself to its column once the frame has laid out: nudge it after the first paint
      onload: (ev: Event) => {
        const frame = ev.target as HTMLIFrameElement;
        for (const ms of [400, 1500]) setTimeout(() => frame.contentWindow?.dispatchEvent(new Event('resize')), ms);
      },
    }),
  );
}

function openWatch(room: string, n: number): void {
  watching = { room, n };
  document.querySelector('[data-role="watch"]')?.replaceWith(watchOverlay());
  document.querySelector<HTMLButtonElement>('.watch-overlay .close')?.focus();
}

function closeWatch(): void {
  if (!watching) return;
  watching = null;
  document.querySelector('[data-role="watch"]')?.replaceWith(watchOverlay());
}

// ------------------------------------------------------------------ player

function renderJoin(): void {
  setScreen('class-player');
  const code = classState.code ?? '';
  const id = uid('nick');
  const form = h('form', {
    class: 'panel class-join-form',
    onsubmit: async (ev: SubmitEvent) => {
      ev.preventDefault();
      const input = form.querySelector('input') as HTMLInputElement;
      const name = input.value.trim().replace(/\s+/g, ' ');
      if (!name) {
        input.setAttribute('aria-invalid', 'true');
        classState.error = tr('class.join.empty');
        updateError();
        announce(classState.error, true);
        return input.focus();
      }
      input.removeAttribute('aria-invalid');
      const button = form.querySelector('button[type="submit"]') as HTMLButtonElement;
      button.disabled = true;
      const ok = await joinAs(code, name);
      if (!ok) {
        button.disabled = false;
        input.setAttribute('aria-invalid', 'true');
        input.focus();
      }
    },
  });
  form.append(
    h('h1', {}, tr('class.join.title', { code })),
    h('p', { class: 'small' }, tr('class.join.text')),
    h('div', { class: 'field' }, h('label', { for: id }, tr('class.join.nickname')), h('input', { id, name: 'nickname', maxlength: 24, autocomplete: 'nickname', required: true, oninput: () => clearError() })),
    errorBox(),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary big' }, tr('class.join.submit'))),
  );
  root().replaceChildren(h('div', { class: 'class-phone' }, h('header', { class: 'topbar' }, h('span', { class: 'brand', 'aria-hidden': 'true' }, '⇄'), h('span', { class: 'spacer' }), languageSwitch()), form));
}

function renderPlayer(): void {
  setScreen('class-player');
  const you = classState.you;
  if (!you) return renderLoading();
  const lines: HTMLElement[] = [];
  let status: string;
  if (you.phase === 'ended') status = tr('class.player.ended');
  else if (you.phase === 'playing' && you.waiting) status = tr('class.player.late');
  else if (you.phase === 'playing' && classState.pairDone) status = tr('class.player.pairDone');
  else if (you.phase === 'playing' && you.assignment) status = tr('class.player.joining', { round: you.assignment.round });
  else status = tr('class.player.waiting');
  if (you.assignment && you.phase === 'playing') lines.push(h('p', {}, you.assignment.partner ? tr('class.player.partner', { name: you.assignment.partner }) : tr('class.player.partnerBot')));
  if (you.lastRound) {
    const r = you.lastRound;
    lines.push(
      h('p', { class: 'last-round', 'data-role': 'last-round' }, tn(L(), 'class.player.lastRound', r.score, { round: r.round, score: r.score, total: r.total, rank: r.rank })),
      h('p', { class: 'small' }, tr(r.finished ? 'class.player.finishedYes' : 'class.player.finishedNo')),
    );
  }
  root().replaceChildren(
    h(
      'div',
      { class: 'class-phone' },
      h('header', { class: 'topbar' }, h('span', { class: 'brand', 'aria-hidden': 'true' }, '⇄'), h('span', { class: 'small' }, tr('class.player.session', { code: you.code })), h('span', { class: 'spacer' }), languageSwitch()),
      h(
        'section',
        { class: 'panel class-you' },
        h('h1', {}, tr('class.player.hello', { name: you.nickname })),
        h('p', { class: 'status-line', role: 'status', 'data-role': 'class-status' }, you.phase === 'playing' || you.phase === 'ended' ? '' : h('span', { class: 'pulse', 'aria-hidden': 'true' }, '● '), status),
        lines,
        errorBox(),
        you.phase === 'ended' ? null : h('div', { class: 'actions' }, h('button', { type: 'button', class: 'quiet', onclick: () => void leaveSession() }, tr('class.player.leave'))),
      ),
    ),
  );
}

/** Ask for a one-time link, then let the browser download the CSV through it. */
async function downloadResults(code: string): Promise<void> {
  const url = await host.csvUrl();
  if (!url) return;
  const link = h('a', { href: url, download: `handshake-${code}.csv` });
  document.body.append(link);
  link.click();
  link.remove();
}
