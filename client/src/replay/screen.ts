// The "Replay a capture" screen: pick a .pcap/.pcapng file, read in the browser and judged in a Worker (nothing
// is uploaded); the TCP connections it holds; and one of them replayed segment by segment — step forward and
// back, play and pause, speed — with the ladder drawn as in a game, both ends' states and SND.UNA/SND.NXT/
// RCV.NXT after each segment, its options, and the judge's verdict with its rule and explanation.
import { MAX_CAPTURE_BYTES } from '../../../shared/capture/errors.ts';
import type { JudgedCapture } from '../../../shared/capture/judgeFile.ts';
import type { JudgedConnection, JudgedSegment } from '../../../shared/capture/judge.ts';
import { optionsList, replayTimeline, shownNumbers } from '../../../shared/capture/replay.ts';
import { numberBases } from '../../../shared/capture/playAlong.ts';
import { seqAdd } from '../../../shared/tcp/seq.ts';
import { CAPTURE_ERROR_TEXTS } from '../../../shared/i18n/capture.ts';
import { pickLocalized, tn, type UiKey } from '../../../shared/i18n/index.ts';
import type { TcpProfile } from '../../../shared/tcp/types.ts';
import { DARK, drawLadder, ladderHeight } from '../board/ladder.ts';
import { store } from '../store.ts';
import { h, uid } from '../ui/h.ts';
import { announce } from '../ui/live.ts';
import { lang as L, root, setScreen, tr } from '../ui/page.ts';
import { languageSwitch } from '../ui/prefs.ts';
import { closeReplay } from './replayState.ts';
import { hiding, playAlongMoved, playAlongOn, playAlongPanel, playAlongToggle, resetPlayAlong } from './playAlong.ts';
import type { JudgeReply } from './protocol.ts';

const SPEEDS = [0.5, 1, 2, 4] as const;

interface ReplayState {
  fileName: string | null;
  bytes: ArrayBuffer | null;
  profile: TcpProfile;
  reading: boolean;
  error: string | null;
  judged: JudgedCapture | null;
  connection: number;
  /** how many segments have crossed the wire (0 = none yet) */
  position: number;
  relative: boolean;
  speed: (typeof SPEEDS)[number];
  playing: ReturnType<typeof setInterval> | null;
}

const state: ReplayState = {
  fileName: null,
  bytes: null,
  profile: 'rfc',
  reading: false,
  error: null,
  judged: null,
  connection: 0,
  position: 0,
  relative: true,
  speed: 1,
  playing: null,
};
let worker: Worker | null = null;
let rerender: () => void = () => undefined;

function judge(): void {
  if (!state.bytes) return;
  state.reading = true;
  state.error = null;
  worker ??= new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
  worker.onmessage = (event: MessageEvent<JudgeReply>) => {
    const reply = event.data;
    state.reading = false;
    if (reply.ok) {
      state.judged = reply.judged;
      state.connection = 0;
      state.position = 0;
      resetPlayAlong();
      announce(readLine(reply.judged));
    } else {
      state.judged = null;
      state.error = pickLocalized(CAPTURE_ERROR_TEXTS[reply.code](reply.facts), L());
    }
    rerender();
  };
  // a copy goes to the worker, so the file can be judged again with the other profile
  const copy = state.bytes.slice(0);
  worker.postMessage({ bytes: copy, profile: state.profile }, [copy]);
}

async function pick(file: File): Promise<void> {
  stop();
  state.fileName = file.name;
  state.judged = null;
  if (file.size > MAX_CAPTURE_BYTES) {
    // refused before a byte is read
    state.bytes = null;
    state.error = pickLocalized(CAPTURE_ERROR_TEXTS.TOO_LARGE({ size: file.size, limit: MAX_CAPTURE_BYTES }), L());
    rerender();
    return;
  }
  state.reading = true;
  state.error = null;
  rerender();
  state.bytes = await file.arrayBuffer();
  judge();
}

/** A capture in hand (the Result's "Review this game"): judged at once. */
export function useCapture(bytes: ArrayBuffer, name: string): void {
  stop();
  state.fileName = name;
  state.judged = null;
  state.bytes = bytes;
  judge();
}

function stop(): void {
  if (state.playing) clearInterval(state.playing);
  state.playing = null;
}

function current(): JudgedConnection | null {
  return state.judged?.connections[state.connection] ?? null;
}

function moveTo(position: number): void {
  const connection = current();
  if (!connection) return;
  state.position = Math.max(0, Math.min(connection.segments.length, position));
  if (state.position === connection.segments.length) stop();
  rerender();
  const segment = connection.segments[state.position - 1];
  if (segment) announce(`${verdictName(segment)}: ${segmentLine(segment, state.relative)}`);
}

function play(): void {
  if (state.playing) return stop(), rerender();
  const connection = current();
  if (!connection) return;
  if (state.position >= connection.segments.length) state.position = 0;
  state.playing = setInterval(() => {
    if (document.getElementById('app')?.dataset.screen !== 'replay') return stop();
    moveTo(state.position + 1);
  }, 1000 / state.speed);
  rerender();
}

/** "abort.pcap: 6 packets, 1 TCP connection." (each count in its own plural form) */
function readLine(judged: JudgedCapture): string {
  const packets = tn(L(), 'replay.packets', judged.packets);
  return tn(L(), 'replay.read', judged.connections.length, { name: state.fileName ?? '', packets });
}

const verdictName = (segment: JudgedSegment) => tr(`replay.verdict.${segment.verdict}` as UiKey);

function segmentLine(segment: JudgedSegment, relative: boolean): string {
  const { seq, ack } = shownNumbers(segment, relative);
  return `${segment.flags.join(',') || '-'} seq=${seq}${ack === null ? '' : ` ack=${ack}`} len=${segment.len}`;
}

// ---------------------------------------------------------------------------------------------------------
// Drawing

export function renderReplayScreen(rerenderMenu: () => void): void {
  rerender = rerenderMenu;
  setScreen('replay');
  const fileId = uid('capture-file');
  const profileId = uid('capture-profile');
  const input = h('input', { id: fileId, type: 'file', accept: '.pcap,.pcapng,.cap,application/vnd.tcpdump.pcap' }) as HTMLInputElement;
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    if (file) void pick(file);
  });
  const profile = h(
    'select',
    {
      id: profileId,
      onchange: (event: Event) => {
        state.profile = (event.target as HTMLSelectElement).value as TcpProfile;
        stop();
        judge();
        rerender();
      },
    },
    (['rfc', 'linux'] as const).map((p) => h('option', { value: p, selected: p === state.profile }, tr(`replay.profile.${p}` as UiKey))),
  );
  const status = state.reading
    ? tr('replay.reading', { name: state.fileName ?? '' })
    : state.judged
      ? readLine(state.judged)
      : '';
  root().replaceChildren(
    h(
      'div',
      { class: 'menu-wrap replay' },
      h('header', { class: 'topbar' }, h('span', { class: 'brand', 'aria-hidden': 'true' }, '⇄'), h('span', { class: 'spacer' }), languageSwitch()),
      h(
        'section',
        { class: 'panel', 'aria-labelledby': 'replay-title' },
        h('h1', { id: 'replay-title', tabindex: -1 }, tr('replay.heading')),
        h('p', {}, tr('replay.intro')),
        h(
          'div',
          { class: 'grid2' },
          h('div', { class: 'field' }, h('label', { for: fileId }, tr('replay.file')), input),
          h('div', { class: 'field' }, h('label', { for: profileId }, tr('replay.profile')), profile),
        ),
        h('p', { role: 'status', 'data-role': 'replay-status' }, status),
        state.judged?.truncated ? h('p', { class: 'small' }, tr('replay.truncated')) : null,
        h('p', { class: 'error', 'data-role': 'error', role: 'alert', hidden: !state.error }, state.error ?? ''),
        state.judged ? connectionList(state.judged) : null,
        current() ? viewer(current() as JudgedConnection) : null,
        h(
          'div',
          { class: 'actions' },
          h(
            'button',
            {
              type: 'button',
              class: 'quiet',
              onclick: () => {
                stop();
                closeReplay();
                rerender();
              },
            },
            tr('replay.back'),
          ),
        ),
      ),
    ),
  );
}

function connectionList(judged: JudgedCapture): HTMLElement {
  return h(
    'nav',
    { 'aria-label': tr('replay.connections') },
    h('h2', {}, tr('replay.connections')),
    h(
      'ol',
      { class: 'replay-connections' },
      judged.connections.map((connection, index) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              type: 'button',
              'aria-pressed': index === state.connection ? 'true' : 'false',
              onclick: () => {
                stop();
                state.connection = index;
                state.position = 0;
                resetPlayAlong();
                rerender();
              },
            },
            tr('replay.connection', { client: connection.client, server: connection.server, packets: connection.segments.length }),
          ),
        ),
      ),
    ),
  );
}

function viewer(connection: JudgedConnection): HTMLElement {
  const total = connection.segments.length;
  const segment = connection.segments[state.position - 1] ?? null;
  const speedId = uid('replay-speed');
  const relativeId = uid('replay-relative');
  const hidden = hiding(state.position, total);
  const counts = { expected: 0, allowed: 0, wrong: 0 };
  for (const s of connection.segments) counts[s.verdict]++;
  const controls = h(
    'div',
    { class: 'actions replay-controls', style: 'display: flex; flex-wrap: wrap; gap: 8px; align-items: center;' },
    h('button', { type: 'button', onclick: () => (stop(), playAlongMoved(), moveTo(state.position - 1)), disabled: state.position === 0 }, tr('replay.stepBack')),
    // while Play along hides the next segment, nothing steps onto it but the player's card
    h('button', { type: 'button', class: 'primary', onclick: () => (stop(), playAlongMoved(), moveTo(state.position + 1)), disabled: state.position >= total || hidden }, tr('replay.step')),
    h('button', { type: 'button', onclick: play, disabled: playAlongOn() }, tr(state.playing ? 'replay.pause' : 'replay.play')),
    h('label', { for: speedId, style: 'align-self: center;' }, tr('replay.speed')),
    h(
      'select',
      {
        id: speedId,
        style: 'width: auto;',
        onchange: (event: Event) => {
          state.speed = Number((event.target as HTMLSelectElement).value) as ReplayState['speed'];
          if (state.playing) {
            stop();
            play();
          }
        },
      },
      SPEEDS.map((speed) => h('option', { value: speed, selected: speed === state.speed }, `${speed}×`)),
    ),
    h('label', { for: relativeId, style: 'display: flex; align-items: center; gap: 6px;' }, h('input', { id: relativeId, type: 'checkbox', style: 'width: auto; height: auto; margin: 0;', checked: state.relative, onchange: (event: Event) => ((state.relative = (event.target as HTMLInputElement).checked), rerender()) }), ' ', tr('replay.relative')),
  );
  return h(
    'section',
    { class: 'replay-viewer', 'aria-label': `${connection.client} → ${connection.server}` },
    connection.notes.map((note) => h('p', { class: 'small' }, pickLocalized(note, L()))),
    h('p', { class: 'small' }, tr('replay.summary', counts)),
    controls,
    playAlongToggle(() => (stop(), rerender())),
    h('p', { 'data-role': 'replay-position' }, state.position === 0 ? tr('replay.start') : tr('replay.position', { at: state.position, total })),
    playAlongPanel(connection, state.position, state.relative, () => moveTo(state.position + 1), rerender),
    segment ? segmentCard(segment) : null,
    ladder(connection),
  );
}

function segmentCard(segment: JudgedSegment): HTMLElement {
  const options = optionsList(segment.options);
  // with relative numbers on, the variables are relative too (to each end's ISS, as the segments are). An end
  // has sequence variables once it has sent its SYN, and RCV.NXT once it has the peer's: before that they
  // hold 0, shown as it is
  const bases = state.relative ? numberBases(current() as JudgedConnection) : null;
  const vars = (end: 'A' | 'B') => {
    const v = segment.tcb[end];
    const endState = segment.states[end];
    const sends = !['CLOSED', 'LISTEN'].includes(endState);
    const receives = sends && endState !== 'SYN-SENT';
    const shift = (n: number, base: number, has: boolean) => (bases && has ? seqAdd(n, -base) : n);
    const peer = end === 'A' ? 'B' : 'A';
    return tr('replay.vars', { end, una: shift(v.sndUna, bases?.[end] ?? 0, sends), nxt: shift(v.sndNxt, bases?.[end] ?? 0, sends), rcv: shift(v.rcvNxt, bases?.[peer] ?? 0, receives) });
  };
  return h(
    'article',
    { class: `replay-segment verdict-${segment.verdict}`, 'data-role': 'replay-segment', 'data-verdict': segment.verdict },
    h('h3', {}, tr('replay.segment', { n: segment.n, from: segment.from, to: segment.from === 'A' ? 'B' : 'A' })),
    h('p', { class: 'mono' }, segmentLine(segment, state.relative)),
    // the judge's explanation quotes the numbers as they are on the wire: with relative numbers on, show those too
    state.relative ? h('p', { class: 'small mono', 'data-role': 'raw-line' }, tr('replay.rawLine', { line: segmentLine(segment, false) })) : null,
    h('p', { class: 'small' }, options.length ? tr('replay.options', { list: options.join(', ') }) : tr('replay.noOptions')),
    h('p', {}, h('strong', { 'data-role': 'verdict' }, verdictName(segment)), ` · ${segment.rule}`),
    h('p', { 'data-role': 'explanation' }, pickLocalized(segment.explanation, L())),
    segment.comment ? h('pre', { class: 'small', style: 'white-space: pre-wrap;' }, segment.comment) : null,
    h('p', { class: 'small' }, tr('replay.states', { a: segment.states.A, b: segment.states.B })),
    h('p', { class: 'small mono' }, vars('A')),
    h('p', { class: 'small mono' }, vars('B')),
  );
}

function ladder(connection: JudgedConnection): HTMLElement {
  const timeline = replayTimeline(connection, state.position, state.relative);
  const width = Math.min(760, Math.max(320, (root().clientWidth || 760) - 48));
  const height = ladderHeight(timeline.length, false);
  const ratio = Math.min(2, window.devicePixelRatio || 1);
  const canvas = h('canvas', { role: 'img', 'aria-label': tr('replay.ladder'), width: Math.round(width * ratio), height: Math.round(height * ratio), style: `width: ${width}px; height: ${height}px; max-width: 100%;` });
  const ctx = canvas.getContext('2d');
  if (ctx) {
    ctx.scale(ratio, ratio);
    drawLadder(ctx, timeline, { width, lang: L(), skin: store.state.skin, theme: DARK });
  }
  return canvas;
}
