import { createSign, generateKeyPairSync, randomUUID, type KeyObject } from "node:crypto";
import { createServer, type Server } from "node:http";

/**
 * A loopback OpenID metadata and JWKS endpoint standing in for the Bot Framework's,
 * so botbuilder's own token validation can be exercised offline; it signs tokens the
 * way the Bot Connector does (RS256, issuer api.botframework.com, audience the app id,
 * a serviceurl claim, keys endorsed for msteams).
 */
export class FakeOpenIdEndpoint {
  readonly issuer = "https://api.botframework.com";
  readonly keyId = randomUUID();
  private readonly keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
  private server?: Server;
  url = "";

  async start(): Promise<this> {
    const jwk = this.keys.publicKey.export({ format: "jwk" });
    this.server = createServer((request, response) => {
      response.setHeader("content-type", "application/json");
      if (request.url === "/.well-known/openidconfiguration") {
        response.end(JSON.stringify({ issuer: this.issuer, jwks_uri: `${this.url}keys`, id_token_signing_alg_values_supported: ["RS256"] }));
      } else if (request.url === "/keys") {
        response.end(JSON.stringify({ keys: [{ kty: "RSA", use: "sig", kid: this.keyId, n: jwk.n, e: jwk.e, endorsements: ["msteams"] }] }));
      } else {
        response.statusCode = 404;
        response.end("{}");
      }
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

  get metadataUrl(): string {
    return `${this.url}.well-known/openidconfiguration`;
  }

  /** A Bot Connector token; `overrides` change claims, `signWith` signs with another key. */
  token(claims: { aud: string; serviceurl: string } & Record<string, unknown>, options: { signWith?: KeyObject; expiresIn?: number } = {}): string {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");
    const header = encode({ alg: "RS256", typ: "JWT", kid: this.keyId });
    const payload = encode({ iss: this.issuer, nbf: now - 60, iat: now - 60, exp: now + (options.expiresIn ?? 3600), ...claims });
    const signature = createSign("RSA-SHA256").update(`${header}.${payload}`).sign(options.signWith ?? this.keys.privateKey).toString("base64url");
    return `${header}.${payload}.${signature}`;
  }
}
