import * as Phaser from 'phaser';
import { t } from '../../../shared/i18n/index.ts';
import { store } from '../store.ts';
import { FONT_STACK } from '../format.ts';
import { route } from '../router.ts';

/** Loads the board's art behind a progress bar, then opens the screen the address asks for. */
export class Preloader extends Phaser.Scene {
  constructor() {
    super('Preloader');
  }

  init(): void {
    const { width, height } = this.scale;
    const cx = width / 2;
    const cy = height / 2;
    this.add.image(cx, cy - 80, 'logo');
    const barW = Math.min(320, width * 0.7);
    this.add.rectangle(cx, cy, barW + 8, 24).setStrokeStyle(2, 0x6cc3ff);
    const bar = this.add.rectangle(cx - barW / 2, cy, 4, 16, 0x6cc3ff).setOrigin(0, 0.5);
    const label = this.add
      .text(cx, cy + 34, t(store.state.lang, 'app.loading'), { fontFamily: FONT_STACK, fontSize: '16px', color: '#cfe3fa' })
      .setOrigin(0.5, 0);
    this.load.on('progress', (p: number) => {
      bar.width = 4 + (barW - 4) * p;
      label.setText(t(store.state.lang, 'app.loadingPercent', { percent: Math.round(p * 100) }));
    });
  }

  preload(): void {
    const size = { width: 128, height: 128 };
    this.load.svg('laptop', 'laptop.svg', size);
    this.load.svg('server', 'server.svg', size);
    this.load.svg('plane', 'plane.svg', size);
    this.load.svg('tower', 'tower.svg', size);
  }

  create(): void {
    route();
  }
}
