// The live regions: polite for arrivals and moves, assertive for refusals and errors.
// Messages are appended (the log keeps the last few) so a screen reader hears each one once.
const MAX = 6;

export function announce(text: string, assertive = false): void {
  const region = document.getElementById(assertive ? 'alert' : 'live');
  if (!region || !text) return;
  if (assertive) {
    region.textContent = text;
    return;
  }
  const line = document.createElement('p');
  line.textContent = text;
  region.append(line);
  while (region.childElementCount > MAX) region.firstElementChild?.remove();
}

/** Empty the assertive region: its last alert belongs to a game that is over. */
export function clearAlert(): void {
  const region = document.getElementById('alert');
  if (region) region.textContent = '';
}

/** Empty both regions: what they hold was said in another language. */
export function clearLiveLog(): void {
  document.getElementById('live')?.replaceChildren();
  clearAlert();
}
