// Whether the replay screen is open (the Menu shows it instead of the menu while it is). Its own module so the
// small hooks that load with the page (./entry.ts) and the lazily loaded screen (./screen.ts) can both change it
// without importing each other (no import cycle: test/client/imports.test.ts).
let shown = false;

export function replayShown(): boolean {
  return shown;
}

export function openReplay(): void {
  shown = true;
}

/** Close the replay screen (its Back button); the menu draws itself again. */
export function closeReplay(): void {
  shown = false;
}
