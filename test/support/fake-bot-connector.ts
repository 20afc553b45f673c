import { createServer, type IncomingMessage, type Server } from "node:http";

/**
 * A loopback stand-in for the Bot Framework Connector service a Teams activity's
 * `serviceUrl` points at. Records every activity the bot sends (POST) or updates
 * (PUT), answers roster look-ups, and can be told to fail the next sends (429…).
 */

export interface RecordedActivity {
  method: "POST" | "PUT";
  conversationId: string;
  /** The activity replied to (POST …/activities/{id}) or updated (PUT). */
  activityId?: string;
  /** The id the fake gave this activity. */
  id: string;
  body: Record<string, any>;
}

export interface RosterMember {
  id: string;
  name: string;
  aadObjectId: string;
  email?: string;
}

export class FakeBotConnector {
  readonly activities: RecordedActivity[] = [];
  /** Every request, including refused ones: method, path, status. */
  readonly requests: { method: string; path: string; status: number }[] = [];
  readonly roster = new Map<string, RosterMember>();
  private failures: { status: number; headers: Record<string, string> }[] = [];
  private server?: Server;
  private nextId = 1;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void this.handle(request).then(({ status, body, headers }) => {
        this.requests.push({ method: request.method ?? "", path: request.url ?? "", status });
        response.writeHead(status, { "content-type": "application/json", ...headers });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    const address = this.server.address();
    this.url = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}/`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }

  /** The next `count` sends or updates are answered with `status` (e.g. 429 with Retry-After). */
  failNext(count: number, status: number, headers: Record<string, string> = {}): void {
    for (let index = 0; index < count; index += 1) this.failures.push({ status, headers });
  }

  clear(): void {
    this.activities.length = 0;
    this.requests.length = 0;
  }

  /** Adaptive Cards in the recorded activities, in order. */
  cards(): Record<string, any>[] {
    return this.activities.flatMap((activity) =>
      ((activity.body.attachments ?? []) as { contentType: string; content: Record<string, any> }[])
        .filter((attachment) => attachment.contentType === "application/vnd.microsoft.card.adaptive")
        .map((attachment) => attachment.content),
    );
  }

  private async handle(request: IncomingMessage): Promise<{ status: number; body: unknown; headers?: Record<string, string> }> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const path = (request.url ?? "").split("?")[0]!;
    const activityMatch = path.match(/^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/);
    const memberMatch = path.match(/^\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/);
    if (memberMatch && request.method === "GET") {
      const member = this.roster.get(decodeURIComponent(memberMatch[2]!));
      return member ? { status: 200, body: { ...member, userPrincipalName: member.email } } : { status: 404, body: { error: { code: "MemberNotFoundInConversation" } } };
    }
    if (!activityMatch || (request.method !== "POST" && request.method !== "PUT")) return { status: 404, body: { error: { code: "NotFound" } } };
    const failure = this.failures.shift();
    if (failure) return { status: failure.status, body: { error: { code: "Throttled", message: "fake failure" } }, headers: failure.headers };
    const id = request.method === "PUT" ? decodeURIComponent(activityMatch[2]!) : `activity-${this.nextId++}`;
    this.activities.push({
      method: request.method,
      conversationId: decodeURIComponent(activityMatch[1]!),
      activityId: activityMatch[2] ? decodeURIComponent(activityMatch[2]) : undefined,
      id,
      body: JSON.parse(text || "{}"),
    });
    return { status: 200, body: { id } };
  }
}
