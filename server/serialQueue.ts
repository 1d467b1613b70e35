// One queue per room: every change to a room (a card, a timer, a bot's card, a join, a grace period ending)
// runs here one after another, so no two changes ever interleave. A failing task does not stop the queue.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Run `task` after everything queued before it; resolves or rejects with its result. */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    this.pending += 1;
    const result = this.tail.then(task);
    this.tail = result.then(
      () => {
        this.pending -= 1;
      },
      () => {
        this.pending -= 1;
      },
    );
    return result;
  }

  get length(): number {
    return this.pending;
  }
}
