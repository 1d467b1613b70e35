import * as Phaser from 'phaser';

/** Loads the little the preloader needs (the logo), then hands over. */
export class Boot extends Phaser.Scene {
  constructor() {
    super('Boot');
  }

  preload(): void {
    this.load.svg('logo', 'logo.svg', { width: 256, height: 96 });
  }

  create(): void {
    this.scene.start('Preloader');
  }
}
