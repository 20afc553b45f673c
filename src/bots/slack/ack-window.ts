/** Slack gives 3 seconds to acknowledge; we leave a margin for the network. */
export const ACK_WINDOW_MS = 2_500;

/**
 * Acknowledges a Slack request once the work is done, so that an acknowledged request
 * is a committed one (a crash before the ack loses nothing Slack was told is done), and
 * a short answer can ride in the acknowledgement itself. If the work outlasts the
 * window, Slack gets an empty acknowledgement in time and the answer follows later.
 */
export class AckWindow<Body> {
  private acked = false;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly ackFn: (body?: Body) => Promise<void>) {
    this.timer = setTimeout(() => void this.ack(), ACK_WINDOW_MS);
  }

  /** True once Slack has had its acknowledgement (so any answer must go another way). */
  get closed(): boolean {
    return this.acked;
  }

  /** Acknowledges now, with `body` if this is the first acknowledgement; false if it was too late for a body. */
  async ack(body?: Body): Promise<boolean> {
    if (this.acked) return false;
    this.acked = true;
    clearTimeout(this.timer);
    await this.ackFn(body);
    return true;
  }
}
