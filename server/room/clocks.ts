// A room's clocks — game timers, grace periods, bots' pauses — as named alarms at absolute times (ms since
// the epoch), read from one injected clock. The due times are kept in the room's record, so a room loaded
// after a restart arms each alarm for the time it has left, or fires it at once if it is overdue.

export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export class Alarms {
  private readonly handles = new Map<string, NodeJS.Timeout>();

  constructor(private readonly clock: Clock) {}

  /** Arm `name` to run `fire` at `dueAt` (at once if that is past); re-arming a name replaces its alarm. */
  set(name: string, dueAt: number, fire: () => void): void {
    this.clear(name);
    const handle = setTimeout(() => {
      this.handles.delete(name);
      fire();
    }, Math.max(0, dueAt - this.clock.now()));
    // a running game does not keep the process alive on its own: shutting down is the server's decision
    handle.unref();
    this.handles.set(name, handle);
  }

  has(name: string): boolean {
    return this.handles.has(name);
  }

  clear(name: string): void {
    const handle = this.handles.get(name);
    if (handle) clearTimeout(handle);
    this.handles.delete(name);
  }

  /** Clears every alarm whose name starts with `prefix`. */
  clearWhere(prefix: string): void {
    for (const name of [...this.handles.keys()]) if (name.startsWith(prefix)) this.clear(name);
  }

  clearAll(): void {
    for (const handle of this.handles.values()) clearTimeout(handle);
    this.handles.clear();
  }

  names(prefix: string): string[] {
    return [...this.handles.keys()].filter((name) => name.startsWith(prefix));
  }
}
