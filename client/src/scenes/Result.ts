import * as Phaser from 'phaser';
import { t, type UiKey } from '../../../shared/i18n/index.ts';
import { bus, listen } from '../bus.ts';
import { store } from '../store.ts';
import { DARK, drawLadder, ladderZoom } from '../board/ladder.ts';
import { DPR, stageSize, zoomCamera } from '../board/pixels.ts';
import { FONT_STACK } from '../format.ts';
import { renderResult } from '../ui/result.ts';
import { missionName } from '../learn/hooks.ts';

/** The end of a round: the outcome large, and the whole ladder diagram beside the DOM score card. */
export class Result extends Phaser.Scene {
  private layer!: Phaser.GameObjects.Container;
  private texKey: string | null = null;
  private seq = 0;
  private round = -1;

  constructor() {
    super('Result');
  }

  create(): void {
    const room = store.state.room;
    if (!room) {
      bus.emit('screen:goto', { screen: 'Menu' });
      return;
    }
    this.round = room.round;
    this.cameras.main.setBackgroundColor('#0f1b2d');
    zoomCamera(this);
    this.layer = this.add.container(0, 0);
    renderResult();
    this.draw();
    listen(this, 'prefs:changed', () => {
      renderResult();
      this.draw();
    });
    listen(this, 'room:update', ({ room: next }) => {
      // a rematch starts a new round: back to the table
      if (next.round !== this.round || next.phase === 'playing') bus.emit('screen:goto', { screen: 'Table' });
    });
    listen(this, 'room:you', () => renderResult());
    this.scale.on('resize', this.draw, this);
    this.events.once('shutdown', () => {
      this.scale.off('resize', this.draw, this);
      if (this.texKey && this.textures.exists(this.texKey)) this.textures.remove(this.texKey);
      this.texKey = null;
    });
  }

  private draw(): void {
    const room = store.state.room;
    if (!room || !this.layer) return;
    this.layer.removeAll(true);
    if (this.texKey && this.textures.exists(this.texKey)) this.textures.remove(this.texKey);
    const { width: W, height: H } = stageSize(this);
    const lang = store.state.lang;
    const outcome = room.game.outcome;
    const colour = outcome === 'completed' ? '#3cc47c' : '#ff8f6b';
    const symbol = outcome === 'completed' ? '✔' : '✖';
    const big = W > 1200 ? 34 : W < 500 ? 18 : 22;
    const heading = this.add
        .text(W / 2, 12, `${symbol} ${t(lang, (outcome ? `result.outcome.${outcome}` : 'result.outcome.none') as UiKey)} · ${missionName(lang, room.game.options.mission)}`, {
          resolution: DPR, fontFamily: FONT_STACK,
          fontSize: `${big}px`,
          fontStyle: 'bold',
          color: colour,
          align: 'center',
          wordWrap: { width: W - 24, useAdvancedWrap: true },
        })
        .setOrigin(0.5, 0);
    this.layer.add(heading);
    const top = 20 + heading.height;
    const h = H - top - 10;
    if (h < 100) return;
    // on a projector (a stage 1,200 px wide or more) the whole ladder is drawn larger, up to 1.5×, if it fits
    const zoom = W >= 1200 ? ladderZoom(h, room.game.timeline.length, 1.5) : 1;
    const w = Math.min(W - 20, 900 * zoom);
    const key = `result-ladder-${++this.seq}`;
    const ratio = Math.min(2, window.devicePixelRatio || 1);
    const tex = this.textures.createCanvas(key, Math.round(w * ratio), Math.round(h * ratio));
    if (!tex) return;
    const ctx = tex.getContext();
    ctx.setTransform(ratio * zoom, 0, 0, ratio * zoom, 0, 0);
    drawLadder(ctx, room.game.timeline, { width: w / zoom, height: h / zoom, lang, skin: store.state.skin, theme: DARK, title: t(lang, 'board.timeline') });
    tex.refresh();
    this.texKey = key;
    this.layer.add(this.add.image((W - w) / 2, top, key).setOrigin(0, 0).setDisplaySize(w, h));
  }
}
