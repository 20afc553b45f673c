// The loopback fakes of Slack's Web API (and response_url) and of the Bot Connector, in a process
// of their own so that neither the load client nor a server pays for them. Prints READY {urls}.
// On SIGINT prints how many calls each received, so the bench can tell whether a request did any.
import { FakeBotConnector } from "../../test/support/fake-bot-connector.ts";
import { FakeSlack } from "../../test/support/fake-slack.ts";

const slack = await new FakeSlack().start();
const connector = await new FakeBotConnector().start();
// Calls are counted, not kept: a long load must not grow this process.
setInterval(() => {
  counts.slack += slack.calls.length + slack.responses.length;
  counts.connector += connector.requests.length;
  slack.calls.length = 0;
  slack.responses.length = 0;
  connector.clear();
}, 1000).unref();
const counts = { slack: 0, connector: 0 };
process.stdout.write(`READY ${JSON.stringify({ slackApiUrl: slack.apiUrl, slackUrl: slack.url, connectorUrl: connector.url })}\n`);
process.on("SIGINT", () => {
  counts.slack += slack.calls.length + slack.responses.length;
  counts.connector += connector.requests.length;
  process.stderr.write(`fakes: ${counts.slack} Slack call(s), ${counts.connector} Bot Connector call(s)\n`);
  process.exit(0);
});
