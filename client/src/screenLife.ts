// The life of a DOM screen (the Menu, the class pages): what `listen` needs to drop a screen's bus listeners
// when another screen takes over, as a Phaser scene's shutdown does for the board's screens.
export class ScreenLife {
  private stops: (() => void)[] = [];

  /** The shape `listen` (bus.ts) expects of a Phaser scene: `events.once('shutdown' | 'destroy', fn)`. */
  readonly events = {
    once: (_event: string, fn: () => void): void => {
      this.stops.push(fn);
    },
  };

  /** Run `fn` when the screen ends. */
  onEnd(fn: () => void): void {
    this.stops.push(fn);
  }

  end(): void {
    const stops = this.stops;
    this.stops = [];
    for (const stop of stops) stop();
  }
}
