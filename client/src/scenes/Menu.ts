import * as Phaser from 'phaser';
import { t } from '../../../shared/i18n/index.ts';
import { listen } from '../bus.ts';
import { store } from '../store.ts';
import { FONT_STACK } from '../format.ts';
import { renderMenu, updateMenuNet } from '../ui/menu.ts';

/** The menu: a quiet animated backdrop (two ends trading segments) under the DOM menu. */
export class Menu extends Phaser.Scene {
  private layer!: Phaser.GameObjects.Container;

  constructor() {
    super('Menu');
  }

  create(): void {
    this.cameras.main.setBackgroundColor('#0f1b2d');
    this.layer = this.add.container(0, 0);
    renderMenu();
    this.draw();
    listen(this, 'prefs:changed', () => {
      const focusedLang = (document.activeElement as HTMLElement | null)?.getAttribute('lang');
      const focusedSkin = document.activeElement?.tagName === 'SELECT' && document.activeElement.id.startsWith('skin');
      renderMenu();
      if (focusedLang) document.querySelector<HTMLElement>(`.switch [lang="${focusedLang}"]`)?.focus();
      if (focusedSkin) document.querySelector<HTMLElement>('select[id^="skin"]')?.focus();
      this.draw();
    });
    listen(this, 'net:status', () => updateMenuNet());
    this.scale.on('resize', this.draw, this);
    this.events.once('shutdown', () => this.scale.off('resize', this.draw, this));
  }

  private draw(): void {
    if (!this.layer) return;
    this.layer.removeAll(true);
    this.tweens.killAll();
    const { width: W, height: H } = this.scale;
    const airport = store.state.skin === 'airport';
    const size = Math.min(120, Math.max(64, W * 0.08));
    const y = H - size * 0.9;
    const xa = size * 0.8;
    const xb = W - size * 0.8;
    const g = this.add.graphics();
    g.lineStyle(3, 0x2b4466, 1);
    g.lineBetween(xa, y, xb, y);
    // a faint grid, like a radar screen or a circuit board
    g.lineStyle(1, 0x1a2e4a, 1);
    for (let x = 0; x < W; x += 48) g.lineBetween(x, 0, x, H);
    for (let yy = 0; yy < H; yy += 48) g.lineBetween(0, yy, W, yy);
    this.layer.add(g);
    this.layer.add(this.add.image(xa, y - size * 0.2, airport ? 'plane' : 'laptop').setDisplaySize(size, size).setAlpha(0.9));
    this.layer.add(this.add.image(xb, y - size * 0.2, airport ? 'tower' : 'server').setDisplaySize(size, size).setAlpha(0.9));
    const labels = [
      { text: 'SYN', from: xa, to: xb, colour: 0x6cc3ff, delay: 0 },
      { text: 'SYN+ACK', from: xb, to: xa, colour: 0xffb86b, delay: 1400 },
      { text: 'ACK', from: xa, to: xb, colour: 0x6cc3ff, delay: 2800 },
    ];
    for (const l of labels) {
      const txt = this.add
        .text(l.from, y - 4, l.text, { fontFamily: FONT_STACK, fontSize: '14px', fontStyle: 'bold', color: '#0f1b2d', backgroundColor: '#' + l.colour.toString(16), padding: { x: 6, y: 3 } })
        .setOrigin(0.5, 1)
        .setAlpha(0);
      this.layer.add(txt);
      this.tweens.add({ targets: txt, x: l.to, alpha: { from: 1, to: 1 }, delay: l.delay, duration: 1300, repeat: -1, repeatDelay: 2900, ease: 'Sine.InOut', onRepeat: () => txt.setAlpha(1), onStart: () => txt.setAlpha(1) });
    }
    this.layer.add(
      this.add
        .text(W / 2, H - 14, t(store.state.lang, 'app.tagline'), { fontFamily: FONT_STACK, fontSize: '13px', color: '#5d7391', align: 'center', wordWrap: { width: W - 40 } })
        .setOrigin(0.5, 1)
        .setAlpha(W > 700 ? 1 : 0),
    );
  }
}
