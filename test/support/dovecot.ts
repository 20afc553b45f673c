import { spawn, type ChildProcess } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, connect } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";

/**
 * A real IMAP server for the mail intake tests: Dovecot (Debian's dovecot-imapd) on a loopback
 * port, with a throw-away mail directory and one passwd-file user. Started once for the whole
 * test run by vitest's globalSetup (test/support/dovecot-setup.ts); each test file works in a
 * folder of its own.
 */
export interface DovecotServer {
  host: string;
  port: number;
  user: string;
  password: string;
}

export const DOVECOT_BINARY = "/usr/sbin/dovecot";

export async function startDovecot(): Promise<{ server: DovecotServer; stop: () => Promise<void> }> {
  if (!existsSync(DOVECOT_BINARY)) throw new Error(`Dovecot is not installed (${DOVECOT_BINARY}): apt-get install dovecot-imapd`);
  const dir = mkdtempSync(join(tmpdir(), "postbag-dovecot-"));
  // Dovecot's auth and mail processes run as other users (when started as root): they must reach the folder.
  chmodSync(dir, 0o755);
  const port = await freePort();
  const password = "intake-secret";
  const root = process.getuid?.() === 0;
  // As root Dovecot runs its login processes as its own unprivileged users and refuses uid 0 for
  // mail, so the mail belongs to nobody; otherwise everything runs as whoever runs the tests.
  const me = userInfo();
  const mail = root ? { uid: 65534, gid: 65534 } : { uid: me.uid, gid: me.gid };
  const internal = root ? { user: "dovecot", group: "dovecot", login: "dovenull" } : { user: me.username, group: groupName(me.gid), login: me.username };
  for (const sub of ["run", "state", "mail", "home"]) mkdirSync(join(dir, sub));
  if (root) for (const sub of ["mail", "home"]) chownSync(join(dir, sub), mail.uid, mail.gid);
  writeFileSync(join(dir, "passwd"), `intake:{PLAIN}${password}\n`);
  writeFileSync(
    join(dir, "dovecot.conf"),
    `base_dir = ${dir}/run
state_dir = ${dir}/state
log_path = ${dir}/dovecot.log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:${dir}/mail/%u
default_internal_user = ${internal.user}
default_internal_group = ${internal.group}
default_login_user = ${internal.login}
first_valid_uid = 1
first_valid_gid = 1
imap_max_line_length = 1M
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u ${dir}/passwd
}
userdb {
  driver = static
  args = uid=${mail.uid} gid=${mail.gid} home=${dir}/home/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = ${port}
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
`,
  );
  // The mail server keeps the machine's clock, as PostgreSQL does, when a suite runs under a
  // shifted one (faketime): Dovecot's master would see time "move backwards" against the children
  // it starts with a cleared environment, and stop launching IMAP services for three minutes.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== "LD_PRELOAD" && !name.startsWith("FAKETIME")));
  const child: ChildProcess = spawn(DOVECOT_BINARY, ["-F", "-c", join(dir, "dovecot.conf")], { stdio: ["ignore", "pipe", "pipe"], env });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitForGreeting(port, () => child.exitCode !== null);
  } catch (error) {
    const log = existsSync(join(dir, "dovecot.log")) ? readFileSync(join(dir, "dovecot.log"), "utf8") : "";
    await stop();
    throw new Error(`Dovecot did not start: ${(error as Error).message}\n${output}\n${log}`, { cause: error });
  }
  return { server: { host: "127.0.0.1", port, user: "intake", password }, stop };
}

function groupName(gid: number): string {
  const line = readFileSync("/etc/group", "utf8").split("\n").find((entry) => entry.split(":")[2] === String(gid));
  return line?.split(":")[0] ?? String(gid);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Until the server greets an IMAP client ("* OK … ready"). */
async function waitForGreeting(port: number, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (exited()) throw new Error("the dovecot process exited");
    const ready = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      let greeting = "";
      socket.on("data", (chunk) => {
        greeting += chunk.toString();
        if (/ready/i.test(greeting)) {
          socket.destroy();
          resolve(true);
        }
      });
      socket.on("error", () => resolve(false));
      setTimeout(() => {
        socket.destroy();
        resolve(false);
      }, 1000);
    });
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("no IMAP greeting within 15 s");
}
