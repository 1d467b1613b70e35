import * as Phaser from 'phaser';

/** Loads the board's pictures of the two ends (small SVGs), then says the board is ready. */
export class BoardArt extends Phaser.Scene {
  constructor(private readonly onReady: () => void) {
    super('BoardArt');
  }

  preload(): void {
    const size = { width: 128, height: 128 };
    this.load.svg('laptop', 'laptop.svg', size);
    this.load.svg('server', 'server.svg', size);
    this.load.svg('plane', 'plane.svg', size);
    this.load.svg('tower', 'tower.svg', size);
  }

  create(): void {
    this.scene.stop(); // it draws nothing: only its textures stay
    this.onReady();
  }
}
