// The Menu: a game against the bot or a friend, joining a room by its code, and the ways to Learn mode and to
// classes. Plain DOM: it shows before the board's code (Phaser) has loaded.
import type { Difficulty, MissionId, Seat } from '../../../shared/game/types.ts';
import type { UiKey } from '../../../shared/i18n/index.ts';
import { TCP_PROFILES, type TcpProfile } from '../../../shared/tcp/types.ts';
import { NETWORK_NAMES, NETWORKS, networkLabel, roleName, type NetworkName } from '../format.ts';
import { store, type GameSetup } from '../store.ts';
import { h, uid } from './h.ts';
import { lang as L, root, setScreen, showError, tr } from './page.ts';
import { languageSwitch, skinSelect } from './prefs.ts';
import { learnMenuEntry, renderLearnMap } from '../learn/hooks.ts';
import { renderReplay, replayMenuEntry } from '../replay/entry.ts';
import { classMenuSection } from '../class/entry.ts';
import { embedded } from '../embed.ts';

const MISSIONS: MissionId[] = ['open-send-close', 'open', 'close', 'refused'];
const DIFFICULTIES: Difficulty[] = ['easy', 'normal', 'hard'];

function selectField<T extends string>(label: string, values: readonly T[], current: T, text: (v: T) => string, name: string): HTMLElement {
  const id = uid(name);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    h('select', { id, name }, values.map((v) => h('option', { value: v, selected: v === current }, text(v)))),
  );
}

/** The TCP behaviour: RFC 9293's choices or Linux's, with a line saying what differs. */
function profileField(current: TcpProfile): HTMLElement {
  const id = uid('profile');
  const noteId = uid('profile-note');
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, tr('menu.profile')),
    h('select', { id, name: 'profile', 'aria-describedby': noteId }, TCP_PROFILES.map((p) => h('option', { value: p, selected: p === current }, tr(`menu.profile.${p}` as UiKey)))),
    h('p', { id: noteId, class: 'small', style: 'margin: 4px 0 0;' }, tr('menu.profileNote')),
  );
}

// ---------------------------------------------------------------- Menu

/** The game the menu's form describes now. */
function choicesOf(form: HTMLElement): GameSetup {
  const get = (n: string) => (form.querySelector(`[name="${n}"]`) as HTMLSelectElement | HTMLInputElement).value;
  const nickname = get('nickname').trim();
  return {
    mission: get('mission') as MissionId,
    difficulty: get('difficulty') as Difficulty,
    botLevel: get('botLevel') as 'correct' | 'erring',
    seat: get('seat') as Seat,
    network: get('network') as NetworkName,
    profile: get('profile') as TcpProfile,
    ...(nickname ? { nickname } : {}),
  };
}

/** Keep what the player chose in the form (before the menu is drawn again, in another language or skin). */
export function rememberMenuChoices(): void {
  const form = document.querySelector<HTMLElement>('.menu-form');
  if (form) store.state.setup = choicesOf(form);
}

export function renderMenu(): void {
  if (embedded) return renderEmbeddedGone();
  if (renderLearnMap()) return; // Learn mode's level map, while it is open
  if (renderReplay(renderMenu)) return; // the "Replay a capture" screen, while it is open
  setScreen('menu');
  const s = store.state;
  const nickId = uid('nick');
  const codeId = uid('code');
  const form = h('form', { class: 'menu-form', onsubmit: (ev: Event) => ev.preventDefault() });
  const setupFrom = () => choicesOf(form);
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
      profileField(s.setup.profile ?? 'rfc'),
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
        replayMenuEntry(renderMenu),
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