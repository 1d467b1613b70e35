// The board's Phaser game: loaded only when a board is needed (a game's Table or Result) or in the background
// while the player reads the Menu, so the first screen never waits for Phaser. Its scenes draw into #stage;
// between games the loop sleeps and the canvas is hidden.
import * as Phaser from 'phaser';
import { BoardArt } from '../scenes/BoardArt.ts';
import { DPR } from './pixels.ts';
import { Table } from '../scenes/Table.ts';
import { Result } from '../scenes/Result.ts';

export type BoardScreen = 'Table' | 'Result';
const BOARD_SCREENS: BoardScreen[] = ['Table', 'Result'];

let game: Phaser.Game | null = null;
let ready: Promise<void> | null = null;

function createGame(): Promise<void> {
  return new Promise((resolve) => {
    // The board is flat shapes and text: the Canvas renderer draws it well and costs a tenth of WebGL on machines
    // without a GPU (school PCs, headless test browsers: a click went from ~400 ms to ~40 ms). ?renderer=webgl opts in.
    const wanted = new URLSearchParams(location.search).get('renderer');
    game = new Phaser.Game({
      type: wanted === 'webgl' ? Phaser.WEBGL : Phaser.CANVAS,
      parent: 'stage',
      backgroundColor: '#0f1b2d',
      // DPR device pixels per CSS pixel (board/pixels.ts): the game is DPR times the stage, shown at 1/DPR; it
      // follows the stage's size itself (below), as Phaser's RESIZE mode would at 1×
      scale: { mode: Phaser.Scale.NONE, width: stageWidth() * DPR, height: stageHeight() * DPR, zoom: 1 / DPR },
      render: { antialias: true },
      audio: { noAudio: true },
      // assets live at the site root; pages such as /r/CODE must not resolve them against their own path
      loader: { baseURL: location.origin + '/' },
      banner: false,
      scene: [new BoardArt(resolve), Table, Result],
    });
    (window as unknown as { __handshake: Record<string, unknown> }).__handshake.game = game;
    followStageSize(game);
  });
}

const stage = () => document.getElementById('stage')!;
const stageWidth = () => Math.max(1, Math.round(stage().clientWidth));
const stageHeight = () => Math.max(1, Math.round(stage().clientHeight));

/** Keep the game DPR times the stage's size: the scenes hear Phaser's 'resize' and lay out again. */
function followStageSize(g: Phaser.Game): void {
  const fit = () => {
    const width = stageWidth() * DPR;
    const height = stageHeight() * DPR;
    if (width !== g.scale.width || height !== g.scale.height) g.scale.resize(width, height);
  };
  new ResizeObserver(fit).observe(stage());
}

/** Create the game and load its pictures, once. */
export function prepareBoard(): Promise<void> {
  ready ??= createGame();
  return ready;
}

/** Show a board screen (after prepareBoard): start its scene (or restart it when it is already up), after the
 * other one stops. */
export function showBoard(screen: BoardScreen): void {
  const g = game;
  if (!g) throw new Error('showBoard before prepareBoard');
  g.loop.wake();
  for (const key of BOARD_SCREENS) if (key !== screen && g.scene.isActive(key)) g.scene.stop(key);
  if (g.scene.isActive(screen)) g.scene.getScene(screen)!.scene.restart();
  else g.scene.start(screen);
}

/** A DOM screen took over: stop the board's scenes (their bus listeners go with them) and let the loop sleep. */
export function hideBoard(): void {
  if (!game) return;
  for (const key of BOARD_SCREENS) if (game.scene.isActive(key) || game.scene.isPaused(key)) game.scene.stop(key);
  game.loop.sleep();
}
