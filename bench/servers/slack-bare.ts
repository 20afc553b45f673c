// The floor: a bare Bolt app on the same receiver, signature checks included, that only acks /case.
import { App, HTTPReceiver, LogLevel } from "@slack/bolt";
import { createServer } from "node:http";

const receiver = new HTTPReceiver({ signingSecret: process.env.SLACK_SIGNING_SECRET!, endpoints: "/slack/events", logLevel: LogLevel.ERROR });
const app = new App({ receiver, token: process.env.SLACK_BOT_TOKEN, deferInitialization: true, clientOptions: { slackApiUrl: process.env.SLACK_API_URL }, logLevel: LogLevel.ERROR });
app.command("/case", async ({ ack }) => {
  await ack();
});
await app.init();
const server = createServer(receiver.requestListener);
server.listen(0, "127.0.0.1", () => process.stdout.write(`READY ${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`));
process.on("SIGINT", () => process.exit(0));
