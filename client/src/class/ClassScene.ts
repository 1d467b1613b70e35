import * as Phaser from 'phaser';
import { listen } from '../bus.ts';
import { onClassChange } from './api.ts';
import { renderClass, tickClock, updateClass } from './screens.ts';

/** The class screens (host's projector, player's lobby): all in the DOM layer; the canvas is a plain backdrop. */
export class ClassScene extends Phaser.Scene {
  constructor() {
    super('Class');
  }

  create(): void {
    this.cameras.main.setBackgroundColor('#0f1b2d');
    renderClass();
    const off = onClassChange((change) => updateClass(change));
    this.events.once('shutdown', off);
    this.events.once('destroy', off);
    listen(this, 'prefs:changed', () => renderClass());
    this.time.addEvent({ delay: 1000, loop: true, callback: tickClock });
  }
}
