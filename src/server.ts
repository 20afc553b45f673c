import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Logger } from "./logger.ts";

export type RequestHandler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface ServerOptions {
  logger: Logger;
  /** Handlers by exact path, e.g. /slack/events and /api/messages, mounted by the adapters. */
  routes: Map<string, RequestHandler>;
  health: () => Promise<Record<string, unknown>>;
}

/** One HTTP server for everything: /healthz and whatever the adapters mount. */
export function createHttpServer(options: ServerOptions): Server {
  return createServer((request, response) => {
    const path = (request.url ?? "/").split("?")[0]!;
    if (path === "/healthz" && request.method === "GET") {
      void options
        .health()
        .then((body) => sendJson(response, 200, { status: "ok", ...body }))
        .catch((error: unknown) => {
          options.logger.warn({ err: error }, "health check failed");
          sendJson(response, 503, { status: "unavailable", reason: "database unreachable" });
        });
      return;
    }
    const handler = options.routes.get(path);
    if (!handler) {
      sendJson(response, 404, { error: "not_found" });
      return;
    }
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      options.logger.error({ err: error, path }, "request handler failed");
      if (!response.headersSent) sendJson(response, 500, { error: "internal_error" });
      else response.end();
    });
  });
}

export function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  response.end(JSON.stringify(body));
}

export function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      const address = server.address();
      resolve(typeof address === "object" && address ? address.port : port);
    });
  });
}
