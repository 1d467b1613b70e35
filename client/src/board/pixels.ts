// The board draws at the screen's own pixel density: its canvas holds DPR device pixels per CSS pixel (a 2× phone
// or laptop screen gets a sharp board, not a blurry 1× one scaled up), each scene's camera zooms by DPR so the
// scenes lay out in CSS pixels as before, and text is rasterized at DPR too. Capped at 2: a 3× phone gains little
// and would draw 2.25 times the pixels.
import type * as Phaser from 'phaser';

export const DPR = typeof window === 'undefined' ? 1 : Math.min(2, Math.max(1, window.devicePixelRatio || 1));

/** The stage's size in CSS pixels (the game's own size is DPR times that). */
export function stageSize(scene: Phaser.Scene): { width: number; height: number } {
  return { width: scene.scale.width / DPR, height: scene.scale.height / DPR };
}

/** Draw the scene in CSS pixels on the DPR-sized canvas. */
export function zoomCamera(scene: Phaser.Scene): void {
  scene.cameras.main.setOrigin(0, 0).setZoom(DPR);
}
