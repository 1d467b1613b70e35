// A room page shown inside another page: the class host's "show large" view frames the ordinary spectator page
// (/r/CODE?spectate=1&embed=1). Such a page has no navigation of its own (no way out to the menu, no language or
// skin switch: the host's page around it has those) and does not save preferences over the host's.

function framed(): boolean {
  try {
    return window.self !== window.top;
  } catch {
    return true; // a frame inside a page of another origin may not read window.top
  }
}

/** True in the host's frame: asked for with ?embed=1, and really shown inside a frame. */
export const embedded = typeof location !== 'undefined' && new URLSearchParams(location.search).get('embed') === '1' && framed();
