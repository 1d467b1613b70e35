// Whether the level map is open (the Menu screen shows it instead of the menu while it is). Its own module so
// both the small hooks that load with the page and Learn mode's lazily loaded screens can change it.
let mapShown = typeof location !== 'undefined' && /^\/learn\/?$/.test(location.pathname);

export function learnMapShown(): boolean {
  return mapShown;
}

/** Open or close the level map, and keep the address (/learn or /) in step. */
export function showLearnMap(on: boolean): void {
  mapShown = on;
  const path = on ? '/learn' : '/';
  if (location.pathname !== path) history.replaceState(null, '', path);
}

/** Close the map without touching the address (a room was joined: the address is the room's now). */
export function forgetLearnMap(): void {
  mapShown = false;
}
