// The floor: a bare botbuilder CloudAdapter (no app id, as Postbag's bench server) whose bot
// answers every Adaptive Card Action.Execute invoke with a trivial card in the invoke response.
import { createServer } from "node:http";
import { ActivityHandler, CloudAdapter, ConfigurationBotFrameworkAuthentication, type AdaptiveCardInvokeResponse, type TurnContext } from "botbuilder";

class BareBot extends ActivityHandler {
  protected override async onAdaptiveCardInvoke(context: TurnContext): Promise<AdaptiveCardInvokeResponse> {
    return {
      statusCode: 200,
      type: "application/vnd.microsoft.card.adaptive",
      value: { type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text: `pressed ${String((context.activity.value as { action?: { verb?: string } }).action?.verb)}` }] },
    };
  }
}

const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
const bot = new BareBot();
const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on("data", (chunk: Buffer) => chunks.push(chunk));
  request.on("end", () => {
    let body: string | undefined;
    const res = {
      socket: response.socket,
      status: (code: number) => void (response.statusCode = code),
      header: (name: string, value: unknown) => void response.setHeader(name, String(value)),
      send: (payload: unknown) => void (body = typeof payload === "string" ? payload : JSON.stringify(payload)),
      end: () => void response.end(body),
    };
    void adapter.process({ method: request.method, headers: request.headers, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) }, res, (context) => bot.run(context));
  });
});
server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`));
process.on("SIGINT", () => process.exit(0));
