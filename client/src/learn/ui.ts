// Learn mode's screens and panels (loaded on demand by ./hooks.ts):
// - the level map: the path's levels by chapter, with stars and locks, and a teacher's "unlock all" switch;
// - on the Table: the level's mission, its hints one at a time, and the pilot-and-tower dialogue (airport skin);
// - on the Result: the stars, the level's quiz cards one by one, then next level / replay / level map.
// Every control is a real button, checkbox or radio with an accessible name, like the rest of the DOM layer.
import { pickLocalized, t, type Language, type UiKey } from '../../../shared/i18n/index.ts';
import type { Seat } from '../../../shared/game/types.ts';
import { bus } from '../bus.ts';
import { store } from '../store.ts';
import { roleName } from '../format.ts';
import { fill, h, uid } from '../ui/h.ts';
import { announce } from '../ui/live.ts';
import { languageSwitch, skinSelect } from '../ui/prefs.ts';
import { isDone, isUnlocked, judge, levelNumber, levelOf, LEVELS, nextLevel, sessionFor, allDone, continueLevel, type Level, type LevelSession } from './levels.ts';
import { progress, recordResult, setShowAll } from './progress.ts';
import { showLearnMap } from './mapState.ts';
import './learn.css';

const L = (): Language => store.state.lang;
const tr = (key: UiKey, params?: Record<string, string | number>) => t(L(), key, params);
const loc = (text: { en: string; zh: string }) => pickLocalized(text, L());

export function levelTitle(lang: Language, id: string): string | null {
  const level = levelOf(id);
  return level ? pickLocalized(level.title, lang) : null;
}

function starsText(stars: number): string {
  return '★'.repeat(stars) + '☆'.repeat(3 - stars);
}

/** Stars drawn for the eye, said in words for a screen reader. */
function starsView(stars: number, big = false): HTMLElement {
  return h(
    'span',
    { class: `stars${big ? ' big' : ''}`, 'data-stars': stars },
    h('span', { 'aria-hidden': 'true' }, starsText(stars)),
    h('span', { class: 'sr-only' }, tr('learn.level.stars', { stars })),
  );
}

// ------------------------------------------------------------------ starting a level

let starting = false;

async function startLevel(level: Level): Promise<void> {
  if (starting) return;
  starting = true;
  const status = document.querySelector<HTMLElement>('[data-role="learn-status"]');
  if (status) status.textContent = tr('learn.map.starting');
  document.querySelectorAll<HTMLButtonElement>('.learn-wrap button, .learn-result button').forEach((b) => (b.disabled = true));
  try {
    // while the old room is left and the new one made, the Menu screen shows the map (not the menu)
    showLearnMap(true);
    if (store.state.room) await store.leave();
    // an erring bot's level must say so: only an erring bot delivers the level's wrong cards
    const ok = await store.startBot({ mission: level.id, seat: level.player, difficulty: level.difficulty, botLevel: level.bot });
    if (!ok) {
      // the error is shown in the map's alert; the levels can be tried again
      document.querySelectorAll<HTMLButtonElement>('.learn-wrap button, .learn-result button').forEach((b) => (b.disabled = false));
      const now = document.querySelector<HTMLElement>('[data-role="learn-status"]');
      if (now) now.textContent = '';
    }
  } finally {
    starting = false;
  }
}

// ------------------------------------------------------------------ the level map

function chapterName(chapter: number): string {
  const key = `learn.chapter.${chapter}` as UiKey;
  const name = t(L(), key);
  return name === key ? tr('learn.chapter', { n: chapter }) : `${tr('learn.chapter', { n: chapter })} · ${name}`;
}

function levelCard(level: Level): HTMLElement {
  const open = isUnlocked(level);
  const entry = progress().levels[level.id];
  const stars = entry?.stars ?? 0;
  const lockId = uid('lock');
  const meta: (HTMLElement | string)[] = [];
  if (!open) meta.push(h('span', { class: 'lock' }, h('span', { class: 'lock-icon', 'aria-hidden': 'true' }), tr('learn.level.locked')));
  else if (entry?.done) meta.push(starsView(stars), h('span', { class: 'best' }, tr('learn.level.best', { score: entry.best })));
  else meta.push(starsView(0), h('span', { class: 'new' }, tr('learn.level.new')));
  const who = tr('learn.level.you', { role: roleName(L(), store.state.skin, level.player, true) });
  return h(
    'li',
    {},
    h(
      'button',
      {
        type: 'button',
        class: `level-card${open ? '' : ' locked'}${entry?.done ? ' done' : ''}`,
        'data-level': level.id,
        'aria-disabled': open ? null : 'true',
        'aria-describedby': open ? null : lockId,
        onclick: () => {
          if (!open) {
            announce(tr('learn.level.lockedNote'), true);
            return;
          }
          void startLevel(level);
        },
      },
      h('span', { class: 'num' }, h('span', { class: 'sr-only' }, tr('fmt.label', { label: tr('learn.level.number', { n: levelNumber(level) }), value: '' })), h('span', { 'aria-hidden': 'true' }, levelNumber(level))),
      h('span', { class: 'body' }, h('span', { class: 'title' }, loc(level.title)), h('span', { class: 'meta' }, meta, h('span', { class: 'who' }, `${who}${level.bot === 'erring' ? ' · ' + tr('learn.level.erring') : ''}`))),
    ),
    open ? null : h('span', { id: lockId, class: 'sr-only' }, tr('learn.level.lockedNote')),
  );
}

export function renderMap(): void {
  const app = document.getElementById('app')!;
  app.dataset.screen = 'learn';
  document.title = `${tr('learn.map.heading')} · Handshake`;
  document.documentElement.lang = L();
  const p = progress();
  const done = LEVELS.filter((level) => isDone(level.id)).length;
  const stars = LEVELS.reduce((n, level) => n + (p.levels[level.id]?.stars ?? 0), 0);
  const chapters = [...new Set(LEVELS.map((level) => level.chapter))];
  const showAllId = uid('showall');
  const next = continueLevel();
  const wrap = h(
    'div',
    { class: 'learn-wrap' },
    h('header', { class: 'topbar' }, h('span', { class: 'brand', 'aria-hidden': 'true' }, '⇄'), h('span', { class: 'spacer' }), languageSwitch(), skinSelect()),
    h(
      'section',
      { class: 'panel learn-map', 'aria-labelledby': 'learn-title' },
      h('h1', { id: 'learn-title', tabindex: -1 }, tr('learn.map.heading')),
      h('p', { class: 'tagline' }, tr('learn.map.intro')),
      h('p', { class: 'progress', 'data-role': 'learn-progress' }, tr('learn.map.progress', { done, total: LEVELS.length, stars, max: LEVELS.length * 3 })),
      h(
        'div',
        { class: 'actions map-actions' },
        next ? h('button', { type: 'button', class: 'primary', onclick: () => void startLevel(next) }, tr('learn.map.continue', { title: `${levelNumber(next)} · ${loc(next.title)}` })) : null,
        h(
          'button',
          {
            type: 'button',
            class: 'quiet',
            onclick: () => {
              showLearnMap(false);
              bus.emit('screen:goto', { screen: 'Menu' });
            },
          },
          tr('learn.map.back'),
        ),
        allDone()
          ? null
          : h(
              'label',
              { class: 'check', for: showAllId },
              h('input', {
                id: showAllId,
                type: 'checkbox',
                checked: p.showAll,
                onchange: (ev: Event) => {
                  setShowAll((ev.target as HTMLInputElement).checked);
                  renderMap();
                  document.getElementById(showAllId)?.focus();
                },
              }),
              tr('learn.map.showAll'),
            ),
      ),
      h('p', { class: 'small', role: 'status', 'data-role': 'learn-status' }),
      h('p', { class: 'error', 'data-role': 'error', role: 'alert', hidden: true }),
      chapters.map((chapter) => {
        const id = `learn-ch-${chapter}`;
        return h(
          'section',
          { class: 'chapter', 'aria-labelledby': id },
          h('h2', { id }, chapterName(chapter)),
          h('ol', { class: 'levels' }, LEVELS.filter((level) => level.chapter === chapter).map(levelCard)),
        );
      }),
    ),
  );
  // the checkbox keeps its id across a redraw so focus can come back to it
  const box = wrap.querySelector<HTMLInputElement>('input[type="checkbox"]');
  if (box) box.id = 'learn-showall';
  wrap.querySelector('label.check')?.setAttribute('for', 'learn-showall');
  document.getElementById('ui')!.replaceChildren(wrap);
}

// ------------------------------------------------------------------ on the Table

function currentLevel(): { level: Level; session: LevelSession; seat: Seat | null } | null {
  const room = store.state.room;
  if (!room) return null;
  const level = levelOf(room.game.options.mission);
  if (!level) return null;
  return { level, session: sessionFor(room.code, room.round, level.id), seat: store.state.role === 'player' ? store.state.seat : null };
}

function hintsBody(level: Level, session: LevelSession, player: boolean): HTMLElement {
  const total = level.hints.length;
  const shown = level.hints.slice(0, session.hintsShown);
  const left = total - session.hintsShown;
  const finished = store.state.room?.phase === 'finished';
  const body = h(
    'div',
    { class: 'learn-hints', 'data-role': 'learn-hints' },
    h('h3', { id: 'learn-hints-title' }, tr('learn.hints.heading')),
    shown.length
      ? h(
          'ol',
          { class: 'hint-list', 'aria-labelledby': 'learn-hints-title' },
          shown.map((hint, i) => h('li', { tabindex: -1, 'data-hint': i + 1 }, h('span', { class: 'sr-only' }, tr('fmt.label', { label: tr('learn.hints.item', { n: i + 1, total }), value: '' })), loc(hint))),
        )
      : null,
  );
  if (!player) return body;
  if (left > 0) {
    body.append(
      h(
        'button',
        {
          type: 'button',
          'data-role': 'learn-hint',
          disabled: finished,
          onclick: () => {
            session.hintsShown = Math.min(total, session.hintsShown + 1);
            const text = loc(level.hints[session.hintsShown - 1]!);
            const fresh = hintsBody(level, session, player);
            document.querySelector('[data-role="learn-hints"]')?.replaceWith(fresh);
            announce(tr('fmt.label', { label: tr('learn.hints.item', { n: session.hintsShown, total }), value: text }));
            const again = fresh.querySelector<HTMLElement>('[data-role="learn-hint"]');
            if (again) again.focus();
            else fresh.querySelector<HTMLElement>(`[data-hint="${session.hintsShown}"]`)?.focus();
          },
        },
        tr('learn.hints.show', { left }),
      ),
      h('p', { class: 'small' }, tr('learn.hints.cost')),
    );
  } else {
    body.append(h('p', { class: 'small' }, tr('learn.hints.none')));
  }
  return body;
}

function storyBody(level: Level): HTMLElement | null {
  if (store.state.skin !== 'airport' || !level.story.length) return null;
  const room = store.state.room!;
  const sent = room.game.timeline.filter((e) => e.kind === 'segment').length;
  const said = room.phase === 'finished' ? level.story.length : Math.min(level.story.length, sent);
  return h(
    'div',
    { class: 'learn-story', 'data-role': 'learn-story', 'data-said': said },
    h('h3', { id: 'learn-story-title' }, tr('learn.story.heading')),
    said
      ? h(
          'ol',
          { class: 'story', 'aria-labelledby': 'learn-story-title' },
          level.story.slice(0, said).map((line) => h('li', { class: `who-${line.who}` }, fill(tr('fmt.label'), { label: h('strong', {}, tr(`learn.story.${line.who}` as UiKey)), value: loc(line.line) }))),
        )
      : h('p', { class: 'small' }, tr('learn.story.silent')),
  );
}

export function fillTable(slot: HTMLElement): void {
  const current = currentLevel();
  if (!current) return;
  const { level, session, seat } = current;
  // the role line names the level (it showed the bare id while this module was loading)
  const mission = document.querySelector<HTMLElement>('[data-role="mission"]');
  if (mission && mission.textContent?.includes(level.id)) mission.textContent = tr('room.mission', { name: loc(level.title) });
  slot.replaceChildren(
    h(
      'section',
      { class: 'panel learn-level', 'aria-labelledby': 'learn-level-title' },
      h('h2', { id: 'learn-level-title' }, tr('learn.table.level', { n: levelNumber(level), title: loc(level.title) })),
      h('p', { class: 'learn-mission', 'data-role': 'learn-mission' }, fill(tr('fmt.label'), { label: h('strong', {}, tr('learn.table.mission')), value: loc(level.mission) })),
      hintsBody(level, session, seat !== null),
      storyBody(level),
      h(
        'button',
        {
          type: 'button',
          class: 'quiet map-link',
          onclick: () => {
            showLearnMap(true);
            void store.leave();
          },
        },
        tr('learn.table.map'),
      ),
    ),
  );
}

/** After every move: the dialogue grows with the segments sent. */
export function onRoomUpdate(): void {
  const old = document.querySelector('[data-role="learn-story"]');
  const current = currentLevel();
  if (!old || !current) return;
  const fresh = storyBody(current.level);
  if (fresh && fresh.dataset.said !== (old as HTMLElement).dataset.said) {
    old.replaceWith(fresh);
    const lines = fresh.querySelectorAll('li');
    const last = lines[lines.length - 1];
    if (last) announce(last.textContent ?? '');
  }
}

// ------------------------------------------------------------------ on the Result

function quizBody(level: Level, session: LevelSession): HTMLElement {
  const total = level.quiz.length;
  const q = session.quiz;
  const box = h('div', { class: 'learn-quiz', 'data-role': 'learn-quiz' });
  if (!total) return box;
  const redraw = (focus: string) => {
    const fresh = quizBody(level, session);
    document.querySelector('[data-role="learn-quiz"]')?.replaceWith(fresh);
    fresh.querySelector<HTMLElement>(focus)?.focus();
  };
  if (q.index >= total) {
    box.append(h('p', { class: 'quiz-done', tabindex: -1 }, tr('learn.quiz.done', { right: q.right, total })));
    return box;
  }
  const card = level.quiz[q.index]!;
  const name = uid('choice');
  const legendId = uid('quizq');
  const feedback = h('div', { class: 'quiz-feedback', 'data-role': 'quiz-feedback', role: 'status' });
  const fieldset = h(
    'fieldset',
    { class: 'quiz-card', 'aria-describedby': legendId },
    h('legend', {}, tr('learn.quiz.heading', { n: q.index + 1, total })),
    h('p', { id: legendId, class: 'question' }, loc(card.question)),
    h(
      'div',
      { class: 'choices', role: 'radiogroup', 'aria-labelledby': legendId },
      card.choices.map((choice, i) => {
        const id = `${name}-${i}`;
        const mark = q.checked ? (i === card.answer ? 'right' : i === q.chosen ? 'wrong' : '') : '';
        return h(
          'div',
          { class: `choice ${mark}` },
          h('input', {
            type: 'radio',
            id,
            name,
            value: i,
            checked: q.chosen === i,
            disabled: q.checked,
            onchange: () => (q.chosen = i),
          }),
          h('label', { for: id }, mark === 'right' ? h('span', { 'aria-hidden': 'true' }, '✔ ') : mark === 'wrong' ? h('span', { 'aria-hidden': 'true' }, '✖ ') : null, loc(choice)),
        );
      }),
    ),
  );
  box.append(fieldset, feedback);
  if (!q.checked) {
    box.append(
      h(
        'button',
        {
          type: 'button',
          class: 'primary',
          'data-role': 'quiz-check',
          onclick: () => {
            if (q.chosen === null) {
              feedback.textContent = tr('learn.quiz.pick');
              box.querySelector<HTMLInputElement>('input[type="radio"]')?.focus();
              return;
            }
            q.checked = true;
            if (q.chosen === card.answer) q.right += 1;
            redraw('[data-role="quiz-next"]');
          },
        },
        tr('learn.quiz.check'),
      ),
    );
  } else {
    const right = q.chosen === card.answer;
    feedback.append(
      h('p', { class: right ? 'accepted' : 'refused' }, right ? tr('learn.quiz.right') : tr('learn.quiz.wrong', { answer: loc(card.choices[card.answer]!) })),
      h('p', { class: 'explanation quiz-why' }, loc(card.explanation)),
    );
    box.append(
      h(
        'button',
        {
          type: 'button',
          'data-role': 'quiz-next',
          onclick: () => {
            q.index += 1;
            q.chosen = null;
            q.checked = false;
            redraw(q.index >= total ? '.quiz-done' : 'input[type="radio"]');
          },
        },
        tr('learn.quiz.next'),
      ),
    );
  }
  return box;
}

export function fillResult(slot: HTMLElement): void {
  const current = currentLevel();
  const room = store.state.room;
  if (!current || !room) return;
  const { level, session, seat } = current;
  // the Result's mission line names the level (it showed the bare id while this module was loading)
  const mission = document.querySelector<HTMLElement>('[data-role="mission"]');
  if (mission && mission.textContent?.includes(level.id)) mission.textContent = tr('room.mission', { name: loc(level.title) });
  const firstTime = !session.recorded;
  let verdictBlock: HTMLElement | null = null;
  if (seat) {
    const verdict = judge(room.game, seat, session.hintsShown);
    if (!session.recorded && room.phase === 'finished') {
      const { newBest, entry } = recordResult(level.id, { stars: verdict.stars, score: verdict.score, done: verdict.finished });
      session.recorded = { stars: verdict.stars, score: verdict.score, best: entry.best, newBest };
    }
    const rec = session.recorded;
    const criteria: [UiKey, boolean][] = [
      ['learn.result.star.finished', verdict.earned[0]],
      ['learn.result.star.mistakes', verdict.earned[1]],
      ['learn.result.star.hints', verdict.earned[2]],
    ];
    verdictBlock = h(
      'div',
      { class: 'verdict' },
      h('p', { class: 'stars-line', 'data-role': 'learn-stars' }, starsView(verdict.stars, true), h('span', { 'aria-hidden': 'true' }, ' '), h('span', { class: 'stars-words', 'aria-hidden': 'true' }, tr('learn.result.stars', { stars: verdict.stars }))),
      h(
        'ul',
        { class: 'criteria' },
        criteria.map(([key, ok]) => h('li', { class: ok ? 'ok' : 'no' }, h('span', { 'aria-hidden': 'true' }, ok ? '★ ' : '☆ '), tr('learn.result.criterion', { star: tr(key), verdict: tr(ok ? 'learn.result.earned' : 'learn.result.missed') }))),
      ),
      verdict.finished
        ? h('p', { class: 'score-line' }, tr('learn.result.score', { score: verdict.score, best: rec?.best ?? verdict.score }), rec?.newBest ? h('strong', { class: 'new-best' }, ' ' + tr('learn.result.newBest')) : null)
        : h('p', { class: 'refused' }, tr('learn.result.notFinished')),
      verdict.finished && allDone() && !nextLevel(level) ? h('p', {}, tr('learn.result.pathDone')) : null,
    );
  }
  const next = nextLevel(level);
  const canNext = next && isUnlocked(next);
  slot.replaceChildren(
    h(
      'section',
      { class: 'panel learn-result', 'aria-labelledby': 'learn-result-title' },
      h('h2', { id: 'learn-result-title', tabindex: -1 }, tr('learn.result.heading', { n: levelNumber(level), title: loc(level.title) })),
      verdictBlock,
      seat ? quizBody(level, session) : null,
      h(
        'div',
        { class: 'actions' },
        canNext ? h('button', { type: 'button', class: 'primary', 'data-role': 'learn-next', onclick: () => void startLevel(next) }, tr('learn.result.next', { level: `${levelNumber(next)} · ${loc(next.title)}` })) : null,
        h('button', { type: 'button', onclick: () => void startLevel(level) }, tr('learn.result.replay')),
        h(
          'button',
          {
            type: 'button',
            class: 'quiet',
            onclick: () => {
              showLearnMap(true);
              void store.leave();
            },
          },
          tr('learn.result.map'),
        ),
      ),
      storyBody(level),
    ),
  );
  if (firstTime) requestAnimationFrame(() => document.getElementById('learn-result-title')?.focus());
}
