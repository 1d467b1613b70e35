import * as Phaser from 'phaser';
import type { Happening, Seat } from '../../../shared/game/types.ts';
import type { RoomUpdate, RoomView } from '../../../shared/protocol/events.ts';
import type { Segment, TcpState } from '../../../shared/tcp/types.ts';
import { hasKey, pickLocalized, t, type UiKey } from '../../../shared/i18n/index.ts';
import { bus, listen } from '../bus.ts';
import { store } from '../store.ts';
import { airportLine, endNumbers, flagsLabel, FONT_STACK, MONO_STACK, PHASE_COLOURS, phaseOf, roleName, segmentLabel } from '../format.ts';
import { DARK, drawLadder, ladderZoom } from '../board/ladder.ts';
import { DPR, stageSize, zoomCamera } from '../board/pixels.ts';
import { announce } from '../ui/live.ts';
import { countdowns, msLeft, secondsLeft, takeStarted, type Countdown } from '../board/timers.ts';
import { followGame, renderTable, showBotTookOver, tickTimers, updateTable } from '../ui/table.ts';
import { refreshQuiz, setQuizMessage } from '../ui/quiz.ts';
import { updateReferee } from '../ui/referee.ts';
import { fillHand } from '../ui/hand.ts';

interface Layout {
  landscape: boolean;
  pad: number;
  box: Record<Seat, Phaser.Geom.Rectangle>;
  wire: { x1: number; x2: number; y: number };
  ladder: Phaser.Geom.Rectangle | null;
  big: number;
  /** a wide board (a projector: the stage beside the side panel is 1,200 px or more): larger boxes and text */
  wide: boolean;
}

const SEAT_COLOURS: Record<Seat, number> = { A: 0x6cc3ff, B: 0xffb86b };
/** the board may fall this far behind the text panel (ms) before it skips animations to catch up */
const CATCH_UP_MS = 700;
const reduceMotion = () => window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;

/** The board: both ends, the wire with segments in flight, timers, the other end's status and the ladder. */
export class Table extends Phaser.Scene {
  private layout!: Layout;
  private boardLayer!: Phaser.GameObjects.Container;
  private wireLayer!: Phaser.GameObjects.Container;
  private fxLayer!: Phaser.GameObjects.Container;
  private ladderImage: Phaser.GameObjects.Image | null = null;
  private ladderKey: string | null = null;
  private ladderSeq = 0;
  private peerTexts: Partial<Record<Seat, Phaser.GameObjects.Text>> = {};
  /** states shown while an update's animation is still playing */
  private shown: Partial<Record<Seat, TcpState>> = {};
  /** updates waiting for their animation, each with the timers it started (announced after it is shown) */
  private queue: { update: RoomUpdate; timers: ReturnType<typeof takeStarted>; at: number }[] = [];
  private animating = false;
  /** the tweens and pauses of the update being animated: finished at once when the board must catch up */
  private inFlight = new Set<() => void>();
  /** set when the rest of the update being animated is skipped (the board has fallen behind) */
  private skipping = false;
  private catchUpTimer: ReturnType<typeof setTimeout> | null = null;
  private parked = new Map<string, Phaser.GameObjects.Container[]>();
  private resultTimer: Phaser.Time.TimerEvent | null = null;

  constructor() {
    super('Table');
  }

  create(): void {
    const room = store.state.room;
    if (!room) {
      bus.emit('screen:goto', { screen: 'Menu' });
      return;
    }
    this.queue = [];
    this.animating = false;
    this.inFlight = new Set();
    this.skipping = false;
    this.shown = {};
    this.parked = new Map();
    this.resultTimer = null;
    followGame(room);
    this.cameras.main.setBackgroundColor('#0f1b2d');
    zoomCamera(this);
    this.boardLayer = this.add.container(0, 0);
    this.wireLayer = this.add.container(0, 0);
    this.fxLayer = this.add.container(0, 0);
    renderTable();
    this.drawAll();

    takeStarted(); // timers already running when the board opens are shown, not announced
    listen(this, 'room:update', (update) => {
      this.queue.push({ update, timers: takeStarted(), at: performance.now() });
      updateTable();
      void this.pump();
      this.watchLag();
    });
    listen(this, 'seat:botTookOver', ({ seat, nickname }) => showBotTookOver(seat, nickname));
    listen(this, 'room:presence', () => {
      updateTable();
      this.refreshPeers();
    });
    listen(this, 'room:you', () => {
      renderTable();
      this.drawAll();
    });
    listen(this, 'prefs:changed', () => {
      const focusedLang = (document.activeElement as HTMLElement | null)?.getAttribute('lang');
      renderTable();
      if (focusedLang) document.querySelector<HTMLElement>(`.switch [lang="${focusedLang}"]`)?.focus();
      this.drawAll();
    });
    listen(this, 'card:refused', ({ refusal, confirmed }) => {
      updateReferee('refused');
      if (confirmed) return; // already explained by the browser's own check
      announce(`${t(store.state.lang, 'explain.refused', { title: t(store.state.lang, `refusal.${refusal.code}` as UiKey) })} ${pickLocalized(refusal.explanation, store.state.lang)}`, true);
      if (store.state.seat) this.floatText(store.state.seat, '✖', 0xff6b6b);
    });
    listen(this, 'card:accepted', ({ warning }) => {
      updateReferee('accepted', warning);
      if (warning) announce(t(store.state.lang, 'explain.warning', { text: pickLocalized(warning, store.state.lang) }), true);
    });
    listen(this, 'card:sentAnyway', ({ refusal, reaction }) => {
      updateReferee('sentAnyway', reaction);
      const lang = store.state.lang;
      const peer = roleName(lang, store.state.skin, store.state.seat === 'B' ? 'A' : 'B', true);
      announce(
        `${t(lang, 'explain.sentAnyway', { title: t(lang, `refusal.${refusal.code}` as UiKey) })} ${pickLocalized(refusal.explanation, lang)} ${t(lang, `explain.peer.${reaction ?? 'inFlight'}` as UiKey, { peer })}`,
        true,
      );
    });
    listen(this, 'card:pending', () => updateTable());
    listen(this, 'hint:shown', ({ hint }) => {
      updateReferee('hint');
      const lang = store.state.lang;
      announce(hint ? t(lang, 'explain.hintCard', { card: hint.kind === 'call' ? t(lang, `call.${hint.call}` as UiKey) : segmentLabel(hint) }) : t(lang, 'explain.noHint'));
    });
    listen(this, 'hand:fill', ({ card }) => fillHand(card));
    listen(this, 'quiz:result', ({ correct, state }) => {
      const lang = store.state.lang;
      const text = t(lang, correct ? 'quiz.right' : 'quiz.wrong', { state });
      setQuizMessage(text);
      announce(text);
    });
    this.scale.on('resize', this.onResize, this);
    this.events.once('shutdown', () => {
      if (this.catchUpTimer) clearTimeout(this.catchUpTimer);
      this.catchUpTimer = null;
      this.scale.off('resize', this.onResize, this);
      if (this.ladderKey && this.textures.exists(this.ladderKey)) this.textures.remove(this.ladderKey);
      this.ladderKey = null;
      this.ladderImage = null;
    });
    this.time.addEvent({
      delay: 500,
      loop: true,
      callback: () => {
        this.refreshPeers();
        tickTimers();
      },
    });
    if (room.phase === 'finished') this.scheduleResult();
  }

  private onResize(): void {
    this.drawAll();
  }

  // ------------------------------------------------------------ layout and static drawing

  private computeLayout(): Layout {
    const { width: W, height: H } = stageSize(this);
    const pad = W < 500 ? 8 : 16;
    const landscape = W >= 640 && W > H * 1.05;
    // the stage is the board's own width (the page minus the side panel): 1,380 px on a 1920×1080 projector
    const wide = landscape && W >= 1200 && H >= 700;
    const boxW = landscape ? Math.min(wide ? 440 : 360, W * 0.3) : (W - pad * 3) / 2;
    const boxH = landscape ? Math.min(wide ? 320 : 270, Math.max(200, H * 0.4)) : Math.min(215, Math.max(190, H * 0.45));
    const box = {
      A: new Phaser.Geom.Rectangle(pad, pad, boxW, boxH),
      B: new Phaser.Geom.Rectangle(W - pad - boxW, pad, boxW, boxH),
    };
    const wire = landscape
      ? { x1: pad + boxW + 14, x2: W - pad - boxW - 14, y: pad + boxH * 0.55 }
      : { x1: pad + 24, x2: W - pad - 24, y: pad + boxH + 34 };
    const ladderTop = landscape ? pad + boxH + 14 : wire.y + 40;
    const ladderH = H - ladderTop - pad;
    const ladder = ladderH >= 110 ? new Phaser.Geom.Rectangle(pad, ladderTop, W - pad * 2, ladderH) : null;
    const big = landscape ? (wide ? 42 : 30) : 19;
    return { landscape, pad, box, wire, ladder, big, wide };
  }

  private drawAll(): void {
    const room = store.state.room;
    if (!room || !this.boardLayer) return;
    this.layout = this.computeLayout();
    this.boardLayer.removeAll(true);
    this.wireLayer.removeAll(true);
    this.parked.clear();
    this.peerTexts = {};
    this.drawWire();
    this.drawEnd('A', room);
    this.drawEnd('B', room);
    this.drawParked(room);
    this.drawLadder(room);
  }

  private drawWire(): void {
    const { wire } = this.layout;
    const g = this.add.graphics();
    g.lineStyle(4, 0x5d7391, 1);
    g.lineBetween(wire.x1, wire.y, wire.x2, wire.y);
    g.fillStyle(0x5d7391, 1);
    g.fillCircle(wire.x1, wire.y, 5);
    g.fillCircle(wire.x2, wire.y, 5);
    this.boardLayer.add(g);
  }

  private endState(seat: Seat, room: RoomView): TcpState {
    return this.shown[seat] ?? room.game.world.tcb[seat].state;
  }

  private drawEnd(seat: Seat, room: RoomView): void {
    const s = store.state;
    const lang = s.lang;
    const r = this.layout.box[seat];
    const { big, landscape, wide } = this.layout;
    const state = this.endState(seat, room);
    const phase = phaseOf(state);
    const colour = PHASE_COLOURS[phase];
    const c = this.add.container(r.x, r.y);
    const bg = this.add.graphics();
    bg.fillStyle(0x172b45, 1);
    bg.fillRoundedRect(0, 0, r.width, r.height, 14);
    bg.lineStyle(seat === s.seat ? 5 : 3, colour.fill, 1);
    bg.strokeRoundedRect(0, 0, r.width, r.height, 14);
    c.add(bg);
    const icon = s.skin === 'airport' ? (seat === 'A' ? 'plane' : 'tower') : seat === 'A' ? 'laptop' : 'server';
    const iconSize = landscape ? (wide ? 80 : 64) : 40;
    c.add(this.add.image(12 + iconSize / 2, 10 + iconSize / 2, icon).setDisplaySize(iconSize, iconSize));
    const small = landscape ? (wide ? 19 : 14) : 11;
    const role = roleName(lang, s.skin, seat, !landscape);
    const title = `${seat} · ${seat === s.seat ? t(lang, 'board.you', { role }) : role}`;
    c.add(
      this.add
        .text(iconSize + 20, 12, title, {
          resolution: DPR, fontFamily: FONT_STACK,
          fontSize: `${small + 2}px`,
          fontStyle: 'bold',
          color: seat === 'A' ? '#9fd3ff' : '#ffd3a1',
          wordWrap: { width: r.width - iconSize - 28, useAdvancedWrap: true },
        })
        .setName('title'),
    );
    const titleObj = c.getByName('title') as Phaser.GameObjects.Text;
    const peer = this.add.text(iconSize + 20, 14 + titleObj.height, '', {
      resolution: DPR, fontFamily: FONT_STACK,
      fontSize: `${small}px`,
      color: '#9fb0c8',
      wordWrap: { width: r.width - iconSize - 28, useAdvancedWrap: true },
    });
    c.add(peer);
    this.peerTexts[seat] = peer;
    let y = Math.max(16 + iconSize, 18 + titleObj.height + small * 1.4);
    const stateText = this.add.text(12, y, `${colour.symbol} ${state}`, {
      resolution: DPR, fontFamily: FONT_STACK,
      fontSize: `${big}px`,
      fontStyle: 'bold',
      color: colour.css,
    });
    if (stateText.width > r.width - 20) stateText.setScale((r.width - 20) / stateText.width);
    c.add(stateText);
    y += stateText.displayHeight + 2;
    const gloss = this.add.text(12, y, `${t(lang, `board.phase.${phase}` as UiKey)} · ${t(lang, `state.${state}` as UiKey)}`, {
      resolution: DPR, fontFamily: FONT_STACK,
      fontSize: `${small}px`,
      color: '#eef3fa',
      wordWrap: { width: r.width - 24, useAdvancedWrap: true },
    });
    c.add(gloss);
    y += gloss.height + (landscape ? 10 : 4);
    const tcb = room.game.world.tcb[seat];
    // a no-break space keeps each name with its number when the line wraps (never "RCV.NXT" above its "0")
    // two to a line; a no-break space keeps each name with its number
    const pairs = endNumbers(lang, tcb, room.game.rto?.[seat], !landscape).map(([name, value]) => `${name}\u00a0${value}`);
    const nums = pairs.reduce((text, pair, i) => text + (i === 0 ? '' : i % 2 ? (landscape ? '   ' : '  ') : '\n') + pair, '');
    c.add(
      this.add.text(12, y, nums, {
        resolution: DPR, fontFamily: MONO_STACK,
        fontSize: `${small + (landscape ? 1 : 0)}px`,
        color: '#eef3fa',
        lineSpacing: 2,
        wordWrap: { width: r.width - 24, useAdvancedWrap: true },
      }),
    );
    // bottom line: owed segments and timers (each timer counts down: a ring and its seconds, in words too)
    const owes = room.game.owes[seat] ?? 0;
    const clocks = countdowns(seat);
    // a server without timerDeadlines: the timer's name and a ring that only says "running"
    const plain = clocks.length ? [] : room.game.timers.filter((tm) => tm.end === seat).map((tm) => tm.kind);
    const owesBit = owes > 0 && room.phase === 'playing' ? `✉ ${t(lang, 'board.owes', { count: owes })}` : '';
    if (owesBit || clocks.length || plain.length) {
      const lineText = () =>
        [
          owesBit,
          ...clocks.map((c) => `◷ ${t(lang, 'board.timer.left', { timer: t(lang, `board.timer.${c.kind}` as UiKey), seconds: secondsLeft(c) })}`),
          ...plain.map((kind) => `◷ ${t(lang, `board.timer.${kind}` as UiKey)}`),
        ]
          .filter(Boolean)
          .join('   ');
      const line = this.add.text(12, r.height - small * 1.9, lineText(), {
        resolution: DPR, fontFamily: FONT_STACK,
        fontSize: `${small + 1}px`,
        fontStyle: 'bold',
        color: '#ffe08a',
        wordWrap: { width: r.width - 60, useAdvancedWrap: true },
      });
      if (line.height > small * 1.9) line.setY(r.height - line.height - 6);
      c.add(line);
      if (clocks.length) this.drawCountdown(c, r.width - 26, r.height - 26, clocks, line, lineText);
      else if (plain.length) this.drawTimerRing(c, r.width - 26, r.height - 26, plain.includes('2msl'));
    }
    this.boardLayer.add(c);
    this.refreshPeers();
  }

  /** A real countdown: the ring empties as the time left runs out (the longest-running timer of this end), and
   * the line beside it says the seconds left. */
  private drawCountdown(
    c: Phaser.GameObjects.Container,
    x: number,
    y: number,
    clocks: Countdown[],
    line: Phaser.GameObjects.Text,
    lineText: () => string,
  ): void {
    const g = this.add.graphics();
    c.add(g);
    const clock = clocks.reduce((a, b) => (msLeft(b) > msLeft(a) ? b : a));
    const colour = clock.kind === '2msl' ? 0x9fd3ff : 0xffe08a;
    const draw = () => {
      if (!g.scene) return;
      const p = Math.min(1, msLeft(clock) / clock.msTotal);
      g.clear();
      g.lineStyle(4, 0x3a5070, 1);
      g.strokeCircle(x, y, 14);
      if (p > 0) {
        g.lineStyle(4, colour, 1);
        g.beginPath();
        g.arc(x, y, 14, -Math.PI / 2, -Math.PI / 2 + Math.PI * 2 * p, false);
        g.strokePath();
      }
      const text = lineText();
      if (line.scene && line.text !== text) line.setText(text);
    };
    draw();
    const ev = this.time.addEvent({ delay: 100, loop: true, callback: draw });
    g.once('destroy', () => ev.remove());
  }

  /** A ring that turns while a timer runs at this end, for a room view without the timers' time left. */
  private drawTimerRing(c: Phaser.GameObjects.Container, x: number, y: number, long: boolean): void {
    const g = this.add.graphics();
    c.add(g);
    const period = long ? 6000 : 3000;
    const started = this.time.now;
    const draw = () => {
      if (!g.scene) return;
      const p = ((this.time.now - started) % period) / period;
      g.clear();
      g.lineStyle(4, 0x3a5070, 1);
      g.strokeCircle(x, y, 14);
      g.lineStyle(4, 0xffe08a, 1);
      g.beginPath();
      g.arc(x, y, 14, -Math.PI / 2, -Math.PI / 2 + Math.PI * 2 * (1 - p), false);
      g.strokePath();
    };
    draw();
    const ev = this.time.addEvent({ delay: 100, loop: true, callback: draw });
    g.once('destroy', () => ev.remove());
  }

  private refreshPeers(): void {
    const s = store.state;
    const room = s.room;
    if (!room) return;
    const lang = s.lang;
    for (const seat of ['A', 'B'] as Seat[]) {
      const text = this.peerTexts[seat];
      if (!text || !text.scene) continue;
      const p = s.presence?.seats[seat];
      let line = '';
      if (seat === s.seat) line = t(lang, 'peer.online');
      else if (!p || p.kind === 'empty') line = `◌ ${t(lang, 'peer.empty')}`;
      else if (p.kind === 'bot') line = `⚙ ${t(lang, 'peer.bot')}${room.phase === 'playing' && (room.game.owes[seat] ?? 0) > 0 ? ' · ' + t(lang, 'peer.thinking') : ''}`;
      else if (!p.connected && p.graceEndsAt) line = `⚠ ${t(lang, 'peer.reconnecting', { seconds: Math.max(0, Math.ceil((p.graceEndsAt - Date.now()) / 1000)) })}`;
      else if (!p.connected) line = `⚠ ${t(lang, 'peer.away')}`;
      else line = `● ${t(lang, 'peer.online')}`;
      if (p?.nickname) line = `${p.nickname} · ${line}`;
      if (text.text !== line) text.setText(line);
    }
    if (s.presence && Object.values(s.presence.seats).some((p) => p.graceEndsAt)) updateTable();
  }

  private segmentSprite(seg: Segment, extra?: string): Phaser.GameObjects.Container {
    const lang = store.state.lang;
    const small = this.layout.wide ? 18 : this.layout.landscape ? 14 : 11;
    const label = `${flagsLabel(seg.flags)}\n${seg.seq}${seg.ack !== null ? ` / ${seg.ack}` : ''}${seg.len ? ` +${seg.len}` : ''}${extra ? `\n${extra}` : ''}`;
    const text = this.add
      .text(0, 0, label, { resolution: DPR, fontFamily: MONO_STACK, fontSize: `${small}px`, color: '#0f1b2d', align: 'center', fontStyle: 'bold' })
      .setOrigin(0.5);
    const w = text.width + 14;
    const hgt = text.height + 8;
    const bg = this.add.graphics();
    bg.fillStyle(SEAT_COLOURS[seg.from], 1);
    bg.fillRoundedRect(-w / 2, -hgt / 2, w, hgt, 8);
    bg.lineStyle(2, 0xffffff, 0.9);
    bg.strokeRoundedRect(-w / 2, -hgt / 2, w, hgt, 8);
    const arrowTxt = this.add
      .text(0, -hgt / 2 - 4, seg.from === 'A' ? '→' : '←', { resolution: DPR, fontFamily: FONT_STACK, fontSize: `${small + 4}px`, color: '#eef3fa' })
      .setOrigin(0.5, 1);
    const parts: Phaser.GameObjects.GameObject[] = [bg, text, arrowTxt];
    if (store.state.skin === 'airport') {
      parts.push(
        this.add
          .text(0, hgt / 2 + 4, airportLine(lang, seg), { resolution: DPR, fontFamily: FONT_STACK, fontSize: `${small - 1}px`, color: '#cfe3fa', fontStyle: 'italic' })
          .setOrigin(0.5, 0),
      );
    }
    const c = this.add.container(0, 0, parts);
    c.setSize(w, hgt);
    this.wireLayer.add(c);
    return c;
  }

  private wireX(from: Seat, p: number): number {
    const { wire } = this.layout;
    return from === 'A' ? wire.x1 + (wire.x2 - wire.x1) * p : wire.x2 - (wire.x2 - wire.x1) * p;
  }

  private drawParked(room: RoomView): void {
    const n = room.game.world.inFlight.length;
    room.game.world.inFlight.forEach((seg, i) => {
      const sprite = this.segmentSprite(seg);
      const p = n === 1 ? 0.5 : 0.3 + (0.4 * i) / (n - 1);
      sprite.setPosition(this.wireX('A', p), this.layout.wire.y + (i % 2 ? 18 : -18) * (n > 1 ? 1 : 0));
      const list = this.parked.get(seg.id) ?? [];
      list.push(sprite);
      this.parked.set(seg.id, list);
    });
  }

  private drawLadder(room: RoomView): void {
    if (this.ladderImage) {
      this.ladderImage.destroy();
      this.ladderImage = null;
    }
    if (this.ladderKey && this.textures.exists(this.ladderKey)) this.textures.remove(this.ladderKey);
    this.ladderKey = null;
    const rect = this.layout.ladder;
    if (!rect) return;
    const key = `ladder-${++this.ladderSeq}`;
    const ratio = Math.min(2, window.devicePixelRatio || 1);
    const tex = this.textures.createCanvas(key, Math.round(rect.width * ratio), Math.round(rect.height * ratio));
    if (!tex) return;
    const ctx = tex.getContext();
    // on a wide board the ladder is drawn larger (up to 1.5×), as large as lets every row of the game fit
    const zoom = this.layout.wide ? ladderZoom(rect.height, room.game.timeline.length, 1.5) : 1;
    ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, 0, 0);
    drawLadder(ctx, room.game.timeline, {
      width: rect.width / zoom,
      height: rect.height / zoom,
      lang: store.state.lang,
      skin: store.state.skin,
      theme: DARK,
      title: t(store.state.lang, 'board.timeline'),
    });
    tex.refresh();
    this.ladderKey = key;
    this.ladderImage = this.add.image(rect.x, rect.y, key).setOrigin(0, 0).setDisplaySize(rect.width, rect.height);
    this.boardLayer.add(this.ladderImage);
  }

  // ------------------------------------------------------------ animation of what a move did

  private async pump(): Promise<void> {
    if (this.animating) return;
    this.animating = true;
    try {
      while (this.queue.length) {
        const { update, timers, at } = this.queue.shift()!;
        const prev = store.state.room;
        // far behind (this move waited too long, or more moves wait after it): show it without its animation
        this.skipping = this.queue.length >= 2 || performance.now() - at > CATCH_UP_MS;
        if (followGame(update.room)) renderTable();
        if (!reduceMotion() && !this.skipping && update.happenings.length && this.sys.isActive()) {
          // show the states as they were before this move, then let the happenings move them
          for (const h of update.happenings) if (h.type === 'state' && this.shown[h.end] === undefined) this.shown[h.end] = h.from;
          this.drawAll();
          for (const h of update.happenings) {
            if (!this.sys.isActive()) return;
            if (this.skipping) break;
            try {
              await this.animate(h, update);
            } catch (err) {
              // an animation that fails (a sprite a redraw took away) must never stall the board: the move is
              // still shown, announced and followed (the Result comes after the last one)
              console.error('board animation failed', err);
              break;
            }
          }
          // sprites of a cut-short animation are dropped: drawAll below redraws the wire from the room
          if (this.skipping) this.tweens.killTweensOf(this.wireLayer.list.slice());
        }
        this.skipping = false;
        this.announceAll(update.happenings);
        this.announceTimers(timers);
        this.shown = {};
        if (!this.sys.isActive()) return;
        this.drawAll();
        updateTable();
        this.afterMove(update, prev);
      }
    } finally {
      this.animating = false;
    }
  }

  private afterMove(update: RoomUpdate, _prev: RoomView | null): void {
    const s = store.state;
    const room = update.room;
    if (s.seat && update.happenings.some((h) => h.type === 'state' && h.end === s.seat)) {
      const mine = room.game.world.tcb[s.seat].state;
      setQuizMessage(room.game.options.difficulty === 'easy' ? t(s.lang, 'quiz.auto', { state: mine }) : '');
      refreshQuiz();
    }
    if (room.phase === 'finished') this.scheduleResult();
  }

  private scheduleResult(): void {
    if (this.resultTimer) return;
    const room = store.state.room;
    if (room) {
      const lang = store.state.lang;
      // a game stopped without an outcome (a class round ended by the host) is over, not "Game over: Game over."
      announce(room.game.outcome ? t(lang, 'announce.finished', { outcome: t(lang, `result.outcome.${room.game.outcome}` as UiKey) }) : t(lang, 'announce.finishedNone'));
    }
    this.resultTimer = this.time.delayedCall(1600, () => bus.emit('screen:goto', { screen: 'Result' }));
  }

  /**
   * How much faster than normal to play: 1 when the board is up to date, quicker with every move waiting
   * behind the one being shown, so a fast player's moves stream by instead of queueing up.
   */
  private pace(): number {
    return this.queue.length === 0 ? 1 : Math.min(4, 1.5 + this.queue.length);
  }

  /** While moves wait, look again just before the oldest would be ~1 s old: then cut the current animation short. */
  private watchLag(): void {
    if (this.catchUpTimer || !this.queue.length) return;
    const due = Math.max(0, this.queue[0]!.at + CATCH_UP_MS - performance.now());
    this.catchUpTimer = setTimeout(() => {
      this.catchUpTimer = null;
      if (!this.queue.length) return;
      if (performance.now() - this.queue[0]!.at >= CATCH_UP_MS && this.animating) {
        this.skipping = true;
        for (const finish of [...this.inFlight]) finish();
      }
      this.watchLag();
    }, due + 10);
  }

  private wait(ms: number): Promise<void> {
    if (this.skipping) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = () => {
        this.inFlight.delete(finish);
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(finish, ms / this.pace());
      this.inFlight.add(finish);
    });
  }

  private tween(config: Phaser.Types.Tweens.TweenBuilderConfig): Promise<void> {
    // resolve on completion, or after the tween's time in any case: a target destroyed by a redraw (resize,
    // language switch) must never leave the animation queue waiting forever
    if (this.skipping) return Promise.resolve();
    const pace = this.pace();
    const duration = Number(config.duration ?? 500) / pace;
    const delay = Number(config.delay ?? 0) / pace;
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          this.inFlight.delete(finish);
          resolve();
        }
      };
      this.inFlight.add(finish);
      this.tweens.add({ ...config, duration, delay, onComplete: finish });
      setTimeout(finish, duration + delay + 300);
    });
  }

  private takeSprite(seg: Segment): Phaser.GameObjects.Container {
    const list = this.parked.get(seg.id);
    const sprite = list?.shift();
    if (sprite && sprite.scene) return sprite;
    const fresh = this.segmentSprite(seg);
    fresh.setPosition(this.wireX(seg.from, 0.5), this.layout.wire.y);
    return fresh;
  }

  private park(seg: Segment, sprite: Phaser.GameObjects.Container): void {
    const list = this.parked.get(seg.id) ?? [];
    list.push(sprite);
    this.parked.set(seg.id, list);
  }

  private async animate(h: Happening, update: RoomUpdate): Promise<void> {
    const lang = store.state.lang;
    const { wire } = this.layout;
    switch (h.type) {
      case 'call':
        this.floatText(h.end, `${t(lang, `call.${h.call}` as UiKey)}()`, 0xeef3fa);
        await this.wait(350);
        return;
      case 'sent': {
        const sprite = this.segmentSprite(h.segment, h.wrongCard ? t(lang, 'board.wrong') : undefined);
        sprite.setPosition(this.wireX(h.segment.from, 0), wire.y);
        sprite.setScale(0.4);
        await this.tween({ targets: sprite, x: this.wireX(h.segment.from, 0.45), scale: 1, duration: 420, ease: 'Cubic.Out' });
        this.park(h.segment, sprite);
        return;
      }
      case 'delayed': {
        const sprite = this.takeSprite(h.segment);
        sprite.setAlpha(0.6);
        const tag = this.add.text(0, -sprite.height / 2 - 24, `≋ ${t(lang, 'board.delayed')}`, { resolution: DPR, fontFamily: FONT_STACK, fontSize: this.layout.wide ? '17px' : '13px', color: '#ffe08a' }).setOrigin(0.5, 1);
        sprite.add(tag);
        await this.tween({ targets: sprite, x: this.wireX(h.segment.from, 0.3), y: wire.y + 26, duration: 900, ease: 'Sine.InOut' });
        this.park(h.segment, sprite);
        return;
      }
      case 'duplicated': {
        const sprite = this.takeSprite(h.segment);
        const copy = this.segmentSprite(h.segment, t(lang, 'board.dup'));
        copy.setPosition(sprite.x, sprite.y);
        await this.tween({ targets: copy, y: sprite.y + 34, x: sprite.x + 10, duration: 380, ease: 'Back.Out' });
        this.park(h.segment, sprite);
        this.park(h.segment, copy);
        return;
      }
      case 'lost': {
        const sprite = this.takeSprite(h.segment);
        const tag = this.add.text(0, -sprite.height / 2 - 4, `✖ ${t(lang, 'board.lost')}`, { resolution: DPR, fontFamily: FONT_STACK, fontSize: this.layout.wide ? '18px' : '14px', color: '#ff6b6b', fontStyle: 'bold' }).setOrigin(0.5, 1);
        sprite.add(tag);
        await this.tween({ targets: sprite, y: sprite.y + 140, angle: 50, alpha: 0, duration: 800, ease: 'Quad.In' });
        sprite.destroy();
        return;
      }
      case 'delivered': {
        const sprite = this.takeSprite(h.segment);
        sprite.setAlpha(1);
        await this.tween({ targets: sprite, x: this.wireX(h.segment.from, 1), y: wire.y, duration: 420, ease: 'Cubic.In' });
        await this.tween({ targets: sprite, scale: 0.2, alpha: 0, duration: 160 });
        sprite.destroy();
        return;
      }
      case 'state': {
        this.shown[h.end] = h.to;
        const room = update.room;
        this.redrawEnd(h.end, room);
        await this.wait(260);
        return;
      }
      case 'signal':
        this.floatText(h.end, t(lang, (`signal.${h.signal}` as UiKey)) ?? h.signal, 0xffe08a);
        await this.wait(300);
        return;
      case 'timer':
        this.floatText(h.end, `◷ ${t(lang, `board.timer.${h.timer}` as UiKey)}`, 0xffe08a);
        await this.wait(350);
        return;
      case 'refused':
        this.floatText(h.end, '✖', 0xff6b6b);
        await this.wait(250);
        return;
    }
  }

  private redrawEnd(seat: Seat, room: RoomView): void {
    // the simplest correct thing: redraw the whole board without touching sprites in flight
    const keep = this.wireLayer.list.slice();
    this.wireLayer.removeAll(false);
    this.boardLayer.removeAll(true);
    this.peerTexts = {};
    this.drawWire();
    this.drawEnd('A', room);
    this.drawEnd('B', room);
    this.drawLadder(room);
    for (const obj of keep) this.wireLayer.add(obj);
    const r = this.layout.box[seat];
    const flash = this.add.rectangle(r.centerX, r.centerY, r.width, r.height, 0xffffff, 0.25);
    this.fxLayer.add(flash);
    this.tweens.add({ targets: flash, alpha: 0, duration: 400, onComplete: () => flash.destroy() });
  }

  private floatText(seat: Seat, text: string, colour: number): void {
    if (!this.layout) return;
    const r = this.layout.box[seat];
    // just below the box, drifting down and away: inside it, it covered the box's own bottom line ("must send 1")
    const obj = this.add
      .text(r.centerX, r.bottom + 4, text, {
        resolution: DPR, fontFamily: FONT_STACK,
        fontSize: this.layout.wide ? '28px' : this.layout.landscape ? '22px' : '15px',
        fontStyle: 'bold',
        color: '#' + colour.toString(16).padStart(6, '0'),
        backgroundColor: '#0f1b2dcc',
        padding: { x: 6, y: 3 },
      })
      .setOrigin(0.5, 0);
    this.fxLayer.add(obj);
    this.tweens.add({ targets: obj, y: obj.y + 24, alpha: 0, delay: 600, duration: 900, onComplete: () => obj.destroy() });
  }

  /** A retransmission timer or the 2 MSL wait that started with this move, with its seconds left. */
  private announceTimers(timers: ReturnType<typeof takeStarted>): void {
    const s = store.state;
    const lang = s.lang;
    for (const { clock, seconds } of timers) {
      if (clock.kind === 'user_timeout') continue;
      announce(t(lang, `announce.timerStarted.${clock.kind}` as UiKey, { who: roleName(lang, s.skin, clock.end, true), seconds }));
    }
  }

  private announceAll(happenings: Happening[]): void {
    const s = store.state;
    const lang = s.lang;
    const who = (seat: Seat) => roleName(lang, s.skin, seat, true);
    for (const h of happenings) {
      let text = '';
      switch (h.type) {
        case 'call':
          text = t(lang, 'announce.call', { who: who(h.end), call: t(lang, `call.${h.call}` as UiKey) });
          break;
        case 'sent':
          text = t(lang, 'announce.sent', { who: roleName(lang, s.skin, h.segment.from), segment: segmentLabel(h.segment) });
          break;
        case 'delivered':
          text = t(lang, 'announce.delivered', { who: who(h.segment.to), segment: segmentLabel(h.segment) });
          break;
        case 'lost':
          text = t(lang, 'announce.lost', { segment: segmentLabel(h.segment) });
          break;
        case 'duplicated':
          text = t(lang, 'announce.duplicated', { segment: segmentLabel(h.segment) });
          break;
        case 'delayed':
          text = t(lang, 'announce.delayed', { segment: segmentLabel(h.segment) });
          break;
        case 'state':
          text = t(lang, 'announce.state', { who: who(h.end), state: h.to });
          break;
        case 'signal':
          text = t(lang, 'announce.signal', { who: who(h.end), signal: hasKey(`signal.${h.signal}`) ? t(lang, `signal.${h.signal}` as UiKey) : h.signal });
          break;
        case 'timer':
          text = t(lang, 'announce.timer', { who: who(h.end), timer: t(lang, `board.timer.${h.timer}` as UiKey) });
          break;
        case 'refused':
          text = t(lang, 'announce.refused', { who: who(h.end), title: t(lang, `refusal.${h.code}` as UiKey) });
          break;
      }
      announce(text);
    }
  }
}
