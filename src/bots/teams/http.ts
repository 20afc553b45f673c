import type { IncomingMessage, ServerResponse } from "node:http";
import type { Request as BotRequest, Response as BotResponse } from "botbuilder";

/**
 * Node's request and response, shaped as botbuilder's CloudAdapter expects (it was
 * written for Express/Restify, which parse the body first).
 */

/** An activity is a few KB; a message-action payload carrying a long message, tens. */
export const MAX_BODY_BYTES = 512 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Reads and parses a JSON body, refusing an oversize one before reading it (by Content-Length) or while reading it. */
export async function readJsonBody(request: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Record<string, unknown>> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw new HttpError(413, "request body too large");
  const type = request.headers["content-type"] ?? "";
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, "expected application/json");
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, "request body too large");
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "request body is not JSON");
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new HttpError(400, "request body is not an activity");
  return body as Record<string, unknown>;
}

export function botRequest(request: IncomingMessage, body: Record<string, unknown> | undefined): BotRequest {
  return { method: request.method, headers: request.headers, body };
}

export function botResponse(response: ServerResponse): BotResponse {
  let body: string | undefined;
  return {
    socket: response.socket,
    status(code: number) {
      response.statusCode = code;
    },
    header(name: string, value: unknown) {
      response.setHeader(name, String(value));
    },
    send(payload: unknown) {
      if (payload === undefined || payload === null) return;
      if (typeof payload === "string" || Buffer.isBuffer(payload)) {
        body = payload.toString();
        if (!response.hasHeader("content-type")) response.setHeader("content-type", "text/plain; charset=utf-8");
      } else {
        body = JSON.stringify(payload);
        response.setHeader("content-type", "application/json; charset=utf-8");
      }
    },
    end() {
      if (!response.writableEnded) response.end(body);
    },
  };
}

/** True for a connection from this machine. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === "::1" || /^127\./.test(address) || /^::ffff:127\./i.test(address);
}

/**
 * A proxy on this machine would make remote callers look local, so in the Emulator's
 * unauthenticated mode a forwarded request is not treated as local.
 */
export function isLocalRequest(request: IncomingMessage): boolean {
  const forwarded = request.headers["x-forwarded-for"] ?? request.headers.forwarded ?? request.headers["x-real-ip"];
  return isLoopback(request.socket.remoteAddress) && forwarded === undefined;
}
