// The timeline as a ladder diagram (the RFC's figures, Wireshark's flow graph): two vertical lines, one per
// end, an arrow per segment with its flags and seq/ack, the state of each end beside it. Drawn with the
// plain Canvas 2D API so the same drawing shows on the board (as a Phaser canvas texture) and is saved as PNG.
import type { Seat, TimelineEntry } from '../../../shared/game/types.ts';
import { t, type Language, type UiKey } from '../../../shared/i18n/index.ts';
import type { Skin } from '../bus.ts';
import { FONT_STACK, MONO_STACK, PHASE_COLOURS, phaseOf, roleName, segmentLabel } from '../format.ts';

export interface LadderTheme {
  background: string;
  line: string;
  text: string;
  muted: string;
  arrowA: string;
  arrowB: string;
  lost: string;
}

export const DARK: LadderTheme = {
  background: '#13233a',
  line: '#5d7391',
  text: '#eef3fa',
  muted: '#9fb0c8',
  arrowA: '#6cc3ff',
  arrowB: '#ffb86b',
  lost: '#ff6b6b',
};

export const LIGHT: LadderTheme = {
  background: '#ffffff',
  line: '#6b7a90',
  text: '#111827',
  muted: '#4b5563',
  arrowA: '#0b63b6',
  arrowB: '#b4560b',
  lost: '#c81e1e',
};

export interface LadderOptions {
  width: number;
  /** available height; rows that do not fit are dropped from the top (the newest stay visible) */
  height?: number;
  lang: Language;
  skin: Skin;
  theme: LadderTheme;
  title?: string;
  scale?: number;
}

const HEADER = 46;
const ROW = 44;

export function ladderHeight(entries: number, title: boolean): number {
  return HEADER + (title ? 30 : 0) + Math.max(1, entries) * ROW + 24;
}

/**
 * How much larger to draw a titled ladder of `entries` rows in `height` pixels: as large as lets every row fit,
 * between 1 and `max` (a projector's board has room to spare early in a game; later rows make it shrink back).
 */
export function ladderZoom(height: number, entries: number, max: number): number {
  return Math.max(1, Math.min(max, height / ladderHeight(entries, true)));
}

function stateTag(ctx: CanvasRenderingContext2D, x: number, y: number, state: string, align: 'left' | 'right', theme: LadderTheme, size: number) {
  const phase = phaseOf(state as never);
  const colour = PHASE_COLOURS[phase];
  ctx.font = `600 ${size}px ${FONT_STACK}`;
  const text = `${colour.symbol} ${state}`;
  const w = ctx.measureText(text).width + 10;
  const bx = align === 'left' ? x : x - w;
  ctx.fillStyle = colour.css + '33';
  ctx.fillRect(bx, y - size + 1, w, size + 6);
  ctx.fillStyle = theme.text;
  ctx.textAlign = 'left';
  ctx.fillText(text, bx + 5, y + 2);
}

function arrow(ctx: CanvasRenderingContext2D, x1: number, y1: number, x2: number, y2: number, colour: string, dashed: boolean, head = true) {
  ctx.strokeStyle = colour;
  ctx.fillStyle = colour;
  ctx.lineWidth = 2;
  ctx.setLineDash(dashed ? [7, 5] : []);
  ctx.beginPath();
  ctx.moveTo(x1, y1);
  ctx.lineTo(x2, y2);
  ctx.stroke();
  ctx.setLineDash([]);
  if (!head) return;
  const a = Math.atan2(y2 - y1, x2 - x1);
  ctx.beginPath();
  ctx.moveTo(x2, y2);
  ctx.lineTo(x2 - 11 * Math.cos(a - 0.4), y2 - 11 * Math.sin(a - 0.4));
  ctx.lineTo(x2 - 11 * Math.cos(a + 0.4), y2 - 11 * Math.sin(a + 0.4));
  ctx.closePath();
  ctx.fill();
}

/** Draw the ladder; returns the height used. */
export function drawLadder(ctx: CanvasRenderingContext2D, timeline: readonly TimelineEntry[], o: LadderOptions): number {
  const { width, lang, skin, theme } = o;
  const titleH = o.title ? 30 : 0;
  let entries = [...timeline];
  if (o.height !== undefined) {
    const fit = Math.max(1, Math.floor((o.height - HEADER - titleH - 16) / ROW));
    if (entries.length > fit) entries = entries.slice(entries.length - fit);
  }
  const height = o.height ?? ladderHeight(entries.length, !!o.title);
  ctx.save();
  ctx.fillStyle = theme.background;
  ctx.fillRect(0, 0, width, height);
  const narrow = width < 520;
  const small = narrow ? 10 : 13;
  // leave room outside each line for the widest state tag
  ctx.font = `600 ${small}px ${FONT_STACK}`;
  const tagW = ctx.measureText('◔ SYN-RECEIVED').width + 18;
  const margin = Math.max(tagW, narrow ? 0 : Math.min(190, width * 0.2));
  const xA = margin;
  const xB = width - margin;
  let y = 10;
  if (o.title) {
    ctx.fillStyle = theme.text;
    ctx.font = `700 17px ${FONT_STACK}`;
    ctx.textAlign = 'center';
    ctx.fillText(o.title, width / 2, y + 16);
    y += titleH;
  }
  // end headers
  ctx.font = `700 ${narrow ? 12 : 15}px ${FONT_STACK}`;
  ctx.textAlign = 'center';
  ctx.fillStyle = theme.arrowA;
  ctx.fillText(`A · ${roleName(lang, skin, 'A', narrow)}`, xA, y + 18);
  ctx.fillStyle = theme.arrowB;
  ctx.fillText(`B · ${roleName(lang, skin, 'B', narrow)}`, xB, y + 18);
  y += HEADER - 10;
  const top = y;
  const bottom = height - 8;
  ctx.strokeStyle = theme.line;
  ctx.lineWidth = 3;
  ctx.beginPath();
  ctx.moveTo(xA, top);
  ctx.lineTo(xA, bottom);
  ctx.moveTo(xB, top);
  ctx.lineTo(xB, bottom);
  ctx.stroke();

  if (entries.length === 0) {
    ctx.fillStyle = theme.muted;
    ctx.font = `${small + 1}px ${FONT_STACK}`;
    ctx.textAlign = 'center';
    ctx.fillText(t(lang, 'board.timelineEmpty'), width / 2, top + 30);
  }
  const xOf = (s: Seat) => (s === 'A' ? xA : xB);
  // a state is written where it changes (and at the top), so tags never pile up
  const last: Partial<Record<Seat, string>> = {};
  const tag = (end: Seat, y: number, state: string) => {
    if (last[end] === state) return;
    last[end] = state;
    stateTag(ctx, end === 'A' ? xA - 6 : xB + 6, y, state, end === 'A' ? 'right' : 'left', theme, small);
  };
  for (const e of entries) {
    const y0 = y + 12;
    if (e.kind === 'segment') {
      const from = xOf(e.segment.from);
      const to = xOf(e.segment.to);
      const colour = e.segment.from === 'A' ? theme.arrowA : theme.arrowB;
      const y1 = y0 + ROW - 14;
      if (e.fate === 'lost') {
        const mx = (from + to) / 2;
        const my = (y0 + y1) / 2;
        arrow(ctx, from, y0, mx, my, theme.lost, true, false);
        ctx.strokeStyle = theme.lost;
        ctx.lineWidth = 3;
        ctx.beginPath();
        ctx.moveTo(mx - 7, my - 7);
        ctx.lineTo(mx + 7, my + 7);
        ctx.moveTo(mx + 7, my - 7);
        ctx.lineTo(mx - 7, my + 7);
        ctx.stroke();
      } else if (e.fate === 'in-flight') {
        arrow(ctx, from, y0, from + (to - from) * 0.55, y0 + (y1 - y0) * 0.55, colour, true);
      } else {
        arrow(ctx, from, y0, to, y1, e.wrongCard ? theme.lost : colour, !!e.duplicate);
      }
      // label on the arrow
      let label = segmentLabel(e.segment);
      const marks: string[] = [];
      if (e.fate === 'lost') marks.push(t(lang, 'board.lost'));
      if (e.duplicate) marks.push(t(lang, 'board.dup'));
      if (e.wrongCard) marks.push(t(lang, 'board.wrong'));
      if (marks.length) label = t(lang, 'fmt.note', { text: label, note: marks.join(t(lang, 'fmt.listSep')) });
      ctx.font = `${small}px ${MONO_STACK}`;
      ctx.textAlign = 'center';
      const lw = ctx.measureText(label).width + 8;
      const lx = (xA + xB) / 2;
      const ly = (y0 + y1) / 2 - 4;
      ctx.fillStyle = theme.background;
      ctx.fillRect(lx - lw / 2, ly - small, lw, small + 5);
      ctx.fillStyle = theme.text;
      ctx.fillText(label, lx, ly);
      // states
      tag(e.segment.from, y0 + 4, e.senderState);
      if (e.receiverStateAfter) tag(e.segment.to, y1 + 4, e.receiverStateAfter);
    } else {
      const x = xOf(e.end);
      const text =
        e.kind === 'call'
          ? `${t(lang, `call.${e.call}` as UiKey)}${e.data ? ` "${e.data}"` : ''}`
          : `◷ ${t(lang, `board.timer.${e.timer}` as UiKey)}`;
      ctx.font = `italic ${small}px ${FONT_STACK}`;
      ctx.fillStyle = theme.muted;
      ctx.textAlign = e.end === 'A' ? 'left' : 'right';
      ctx.fillText(text, e.end === 'A' ? x + 8 : x - 8, y0 + 10);
      tag(e.end, y0 + 10, e.stateAfter);
    }
    y += ROW;
  }
  ctx.restore();
  return height;
}

/** The whole timeline as a PNG data URL (light theme, for printing and keeping). */
export function ladderPng(timeline: readonly TimelineEntry[], lang: Language, skin: Skin, title: string): string {
  const canvas = document.createElement('canvas');
  const width = 760;
  const height = ladderHeight(timeline.length, true);
  const ratio = 2;
  canvas.width = width * ratio;
  canvas.height = height * ratio;
  const ctx = canvas.getContext('2d')!;
  ctx.scale(ratio, ratio);
  drawLadder(ctx, timeline, { width, lang, skin, theme: LIGHT, title });
  return canvas.toDataURL('image/png');
}
