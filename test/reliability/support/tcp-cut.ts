import { connect, createServer, type Server, type Socket } from "node:net";

/**
 * A TCP relay on loopback in front of a server (here Dovecot), to make that server go away and
 * come back without touching it: `cut()` closes every connection and stops listening, so a client
 * sees what it sees when the server stops (reset connections, then connection refused), and
 * `restore()` listens again on the same port. It counts the bytes the server sent through it, so
 * a test can act at a chosen point of a transfer.
 */
export class TcpCut {
  /** Bytes from the server to the clients, over every connection so far. */
  served = 0;
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  private watchers: { bytes: number; resolve: () => void }[] = [];
  private listenPort = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  get port(): number {
    return this.listenPort;
  }

  get up(): boolean {
    return this.server !== null;
  }

  /** Listens (again, on the same port once it has one). */
  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.listenPort, "127.0.0.1", () => resolve());
    });
    this.listenPort = (server.address() as { port: number }).port;
    this.server = server;
  }

  /** The server "stops": every open connection is reset and nothing more is accepted. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.resetAndDestroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  /** Resolves once the server has sent `bytes` in all (counted from the start). */
  whenServed(bytes: number): Promise<void> {
    if (this.served >= bytes) return Promise.resolve();
    return new Promise((resolve) => this.watchers.push({ bytes, resolve }));
  }

  private relay(client: Socket): void {
    const upstream = connect(this.target.port, this.target.host);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on("error", drop).on("close", drop);
    upstream.on("error", drop).on("close", drop);
    client.pipe(upstream);
    upstream.on("data", (chunk: Buffer) => {
      this.served += chunk.byteLength;
      const due = this.watchers.filter((watcher) => this.served >= watcher.bytes);
      this.watchers = this.watchers.filter((watcher) => this.served < watcher.bytes);
      for (const watcher of due) watcher.resolve();
    });
    upstream.pipe(client);
  }
}
