// Entry: options, the connection (or the demo host), the app, and a clean exit whatever happens.
import { mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, UsageError, USAGE, type Options } from './cli.ts';
import { Connection } from './model/connection.ts';
import type { App } from './app.ts';
import { DEMO_URI, demoStats } from './demo.ts';
import { ConfigError, mergeHosts, mergeInterval, readConfig, type Config, type HostChoice } from './config.ts';
import { VirshError } from './virsh/errors.ts';
import { stateDir } from './paths.ts';
import { divertStrayOutput } from './ui/stray-output.ts';
export { stateDir };

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;


function writeCrashLog(e: unknown): string {
  const dir = stateDir();
  const file = join(dir, `crash-${new Date().toISOString().replace(/[:.]/g, '-')}.log`);
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `virtui ${VERSION} crashed at ${new Date().toISOString()}\nargv: ${JSON.stringify(process.argv.slice(2))}\n\n${e instanceof Error ? e.stack : String(e)}\n`);
    return file;
  } catch {
    return '(could not write a crash log)';
  }
}

function connectionOf(h: HostChoice): Connection {
  return h.demo
    ? new Connection({ uri: DEMO_URI, readonly: h.readonly, demo: true, name: 'demo', stats: { augment: demoStats() } })
    // a name from the config file is the operator's; otherwise the host's own name shows once connected
    : new Connection({ uri: h.uri, readonly: h.readonly, demo: false, name: h.named ? h.name : undefined });
}

/**
 * Opens the current host (the first choice) before the UI starts, so that a single host that
 * does not answer is a clear error on the terminal; libvirt's default URI falls back to the
 * demo host. The other hosts connect in the background once the UI runs.
 */
async function connect(choices: HostChoice[]): Promise<{ host: Connection; more: Connection[]; note?: string }> {
  const [first, ...rest] = choices as [HostChoice, ...HostChoice[]];
  const more = rest.map(connectionOf);
  const host = connectionOf(first);
  try {
    await host.connect();
    return { host, more };
  } catch (e) {
    if (first.source === 'default' && e instanceof VirshError && e.kind !== 'missing') {
      host.close();
      const demo = connectionOf({ name: 'demo', readonly: first.readonly, source: 'default', demo: true });
      await demo.connect();
      return { host: demo, more, note: `no libvirt daemon answered (${e.line}): this is the built-in demo host; use -c URI for a real one` };
    }
    // one of several hosts: the others are worth seeing; this one is shown down and retried
    if (more.length && e instanceof VirshError && e.kind !== 'missing') {
      return { host, more, note: `${first.uri} does not answer (${e.line}): it is retried by itself; :hosts lists every host` };
    }
    host.close();
    for (const c of more) c.close();
    throw e;
  }
}

export async function main(argv: string[]): Promise<void> {
  let o: Options;
  try {
    o = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`virtui: ${e.message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  if (o.help) { process.stdout.write(`${USAGE}\n`); return; }
  if (o.version) { process.stdout.write(`virtui ${VERSION}\n`); return; }

  let config: Config;
  try {
    config = readConfig(o);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`virtui: ${e.message}\n`);
    process.exit(2);
  }
  const interval = mergeInterval(config, o);

  // the UI's code loads while virsh starts and connects (a process of its own): neither waits for the other
  const ui = import('./app.ts');
  ui.catch(() => { /* awaited below */ });
  let conn: { host: Connection; more: Connection[]; note?: string };
  try {
    conn = await connect(mergeHosts(config, o));
  } catch (e) {
    const err = e instanceof VirshError ? e : null;
    process.stderr.write(`virtui: cannot connect: ${err ? err.line : (e as Error).message}\n${err?.hint ? `hint: ${err.hint}\n` : ''}`);
    process.exit(1);
  }
  const { host, more, note } = conn;
  // the domains load while blessed builds the screen
  if (host.state === 'connected') host.prefetch();

  let app: App | null = null;
  // what libraries print while the UI owns the terminal goes to a log file, not over the screen
  const restoreOutput = divertStrayOutput(join(stateDir(), 'virtui.log'));
  const closeAll = () => { for (const c of app?.connections ?? [host]) c.close(); };
  const finish = (code: number) => {
    app?.destroy();
    restoreOutput();
    closeAll();
    process.exit(code);
  };
  const onFatal = (e: unknown) => {
    app?.destroy();
    restoreOutput();
    closeAll();
    const file = writeCrashLog(e);
    process.stderr.write(`virtui: unexpected error: ${e instanceof Error ? e.message : String(e)}\nThe details are in ${file}\n`);
    process.exit(70);
  };
  process.on('uncaughtException', onFatal);
  process.on('unhandledRejection', onFatal);
  process.on('SIGTERM', () => finish(143));
  process.on('SIGHUP', () => finish(129));
  process.on('SIGINT', () => finish(130));

  const { App: AppClass } = await ui;
  app = new AppClass({ conn: host, more, interval, config, readonly: o.readonly, version: VERSION, leaveKey: o.paneKey, onExit: (code) => finish(code) });
  if (note) host.setStatus({ kind: 'info', text: note });
  else host.setStatus({ kind: 'info', text: `connected${host.libvirtVersion ? ` (libvirt ${host.libvirtVersion})` : ''}: ? lists every key, : runs any virsh command` });
  if (process.env.VIRTUI_DEBUG_CRASH === '1') {
    // only for the tests of the crash path: `:` then "crash" throws from a key handler
    app.debugCrash = true;
  }
  app.start();
}
