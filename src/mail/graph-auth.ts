import type { ConfidentialClientApplication, INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";

/** The app registration Postbag signs in as, and the clouds it signs in to (POSTBAG_GRAPH_*). */
export interface GraphCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** Microsoft Graph's base URL, https://graph.microsoft.com/v1.0 unless told otherwise. */
  graphUrl: string;
  /** Microsoft Entra's sign-in host, https://login.microsoftonline.com unless told otherwise. */
  loginUrl: string;
}

const PUBLIC_LOGIN = "https://login.microsoftonline.com";

/**
 * The token's audience: the Graph the mailbox is on (a national cloud has its own host). A test's
 * plain-http stand-in on loopback stands for the public Graph, as the login stand-in does for Entra.
 */
export function graphScope(graphUrl: string): string {
  const url = new URL(graphUrl);
  return url.protocol === "http:" ? "https://graph.microsoft.com/.default" : `${url.origin}/.default`;
}

/**
 * App-only access tokens for Microsoft Graph (client credentials, @azure/msal-node), shared by
 * mail intake (src/intake/graph-source.ts) and sending (src/mail/graph-sender.ts). MSAL keeps a
 * token until it is near expiry, so asking before every request costs nothing.
 */
export class GraphTokens {
  private msal: ConfidentialClientApplication | undefined;
  private readonly scope: string;

  constructor(private readonly credentials: GraphCredentials) {
    this.scope = graphScope(credentials.graphUrl);
  }

  /** MSAL's client, made with the first token asked for (@azure/msal-node is loaded then, not at start). */
  private async client(): Promise<ConfidentialClientApplication> {
    if (this.msal) return this.msal;
    const { ConfidentialClientApplication } = await import("@azure/msal-node");
    const credentials = this.credentials;
    const login = credentials.loginUrl.replace(/\/+$/, "");
    // MSAL accepts only an https authority. A test's stand-in for Entra on loopback is plain
    // http, so MSAL is given the public authority and its requests are sent to the stand-in.
    const loopback = login.startsWith("http://");
    this.msal ??= new ConfidentialClientApplication({
      auth: { clientId: credentials.clientId, clientSecret: credentials.clientSecret, authority: `${loopback ? PUBLIC_LOGIN : login}/${credentials.tenantId}` },
      system: loopback ? { networkClient: redirectingNetworkClient(PUBLIC_LOGIN, login) } : undefined,
    });
    return this.msal;
  }

  /** A bearer token for Graph; throws what MSAL throws when Entra refuses (a wrong secret, an unknown tenant). */
  async accessToken(): Promise<string> {
    const token = await (await this.client()).acquireTokenByClientCredential({ scopes: [this.scope] });
    if (!token?.accessToken) throw new Error("Microsoft Entra gave no access token for Microsoft Graph.");
    return token.accessToken;
  }
}

/** Retry-After in seconds (or an HTTP date); without one, a growing wait. Never more than `maxMs`. */
export function retryAfterMs(header: string | null, attempt: number, maxMs = 120_000): number {
  const seconds = header === null ? Number.NaN : Number(header);
  const ms = Number.isFinite(seconds) ? seconds * 1000 : header && !Number.isNaN(Date.parse(header)) ? Date.parse(header) - Date.now() : 2 ** attempt * 1000;
  return Math.min(Math.max(ms, 0), maxMs);
}

/** MSAL's HTTP, with requests for `from` sent to `to` instead (a stand-in for Entra on loopback). */
function redirectingNetworkClient(from: string, to: string): INetworkModule {
  const send = async <T>(method: "GET" | "POST", url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> => {
    const target = url.startsWith(from) ? `${to}${url.slice(from.length)}` : url;
    const response = await fetch(target, { method, headers: options?.headers, body: method === "POST" ? options?.body : undefined });
    const text = await response.text();
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      body = {};
    }
    return { status: response.status, headers: Object.fromEntries(response.headers.entries()), body: body as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send("GET", url, options),
    sendPostRequestAsync: (url, options) => send("POST", url, options),
  };
}
