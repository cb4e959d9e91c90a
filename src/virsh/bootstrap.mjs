#!/usr/bin/env node
// Runs before any dependency exists (so: plain Node, no execa): installs what is missing, then
// starts virtui (`run`), or prepares everything the tests need (`test`), or only the npm
// packages (`deps`). Never through a shell.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findShared } from './shared-dir.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const isRoot = process.getuid?.() === 0;
const say = (m) => process.stderr.write(`virtui setup: ${m}\n`);
// `npm start` (package.json) starts this process without NODE_EXTRA_CA_CERTS: Node 20 reads that
// file as it starts (70 ms on a machine whose bundle has 150 certificates), and virtui makes no TLS
// connection of its own. Its children (npm install, a program in a pane) get it back.
if (process.env.VIRTUI_NODE_CA) process.env.NODE_EXTRA_CA_CERTS = process.env.VIRTUI_NODE_CA;
delete process.env.VIRTUI_NODE_CA;

function onPath(cmd) {
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    try { accessSync(join(d, cmd), constants.X_OK); return true; } catch { /* next */ }
  }
  return false;
}

function run(file, argv, opts = {}) {
  const r = spawnSync(file, argv, { stdio: opts.quiet ? 'pipe' : ['ignore', process.stderr, process.stderr], cwd: root, env: { ...process.env, ...opts.env }, encoding: 'utf8' });
  return r.status === 0 ? '' : (r.stderr || r.stdout || r.error?.message || `exit ${r.status}`);
}

function ensureNodeModules(dev) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const names = [...Object.keys(pkg.dependencies ?? {}), ...(dev ? Object.keys(pkg.devDependencies ?? {}) : [])];
  const missing = names.filter((n) => !existsSync(join(root, 'node_modules', n, 'package.json')));
  if (missing.length) {
    say(`installing npm packages (${missing.join(', ')})`);
    const err = run('npm', ['install', '--no-audit', '--no-fund', ...(dev ? [] : ['--omit=dev'])]);
    if (err) { say(`npm install failed:\n${err}`); process.exit(1); }
  }
  if (!existsSync(join(root, 'node_modules', 'node-pty', 'build', 'Release', 'pty.node'))) {
    say('building node-pty');
    const err = run('npm', ['rebuild', 'node-pty']);
    if (err) { say(`npm rebuild node-pty failed:\n${err}`); process.exit(1); }
  }
}

/** the tools of creating, cloning and looking into guests: optional for a run, needed by the tests */
const GUEST_TOOLS = [['virt-install', 'virtinst'], ['virt-clone', 'virtinst'], ['osinfo-query', 'libosinfo-bin'], ['virt-df', 'guestfs-tools'], ['virt-cat', 'guestfs-tools'], ['virt-ls', 'guestfs-tools']];

/** [command, Debian package] pairs: installs the missing ones with apt-get as root, else says how. */
function ensureTools(tools, optional = []) {
  // optional tools (XML validation, qemu-img) come along when we may install; otherwise virtui says what is missing when it is needed
  const missing = [...tools, ...(isRoot && onPath('apt-get') ? optional : [])].filter(([cmd]) => !onPath(cmd));
  if (!missing.length) return;
  const pkgs = [...new Set(missing.map(([, p]) => p))];
  const cmds = missing.map(([c]) => c).join(', ');
  if (isRoot && onPath('apt-get')) {
    say(`installing ${pkgs.join(' ')} (for ${cmds}) with apt-get`);
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const err = run('apt-get', ['update', '-q'], { env }) || run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...pkgs], { env });
    if (err) { say(`apt-get failed:\n${err}`); process.exit(1); }
    return;
  }
  say(`virtui needs ${cmds}. Install ${pkgs.length > 1 ? 'them' : 'it'} with:\n\n    sudo apt-get install -y ${pkgs.join(' ')}\n`);
  process.exit(1);
}

/** Runs one lab script; on failure says why (its last lines) and stops. */
function labScript(shared, script, what, note = '') {
  say(`starting ${what} (${join(shared, 'lab', script)})${note}`);
  const r = spawnSync('bash', [join(shared, 'lab', script)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) { say(`${what} did not start (exit ${r.status}):\n${out.split('\n').slice(-30).join('\n') || '(it printed nothing)'}`); process.exit(1); }
  const lines = out.trim().split('\n');
  // setup-lab2.sh ends with a page of URIs: its "ready in" line is the one worth a line here
  say(lines.findLast((l) => / ready in /.test(l)) ?? lines.pop() ?? `${what} ready`);
}

function ensureLab() {
  if (process.env.VIRTUI_SKIP_LAB === '1') { say('VIRTUI_SKIP_LAB=1: the lab tests will be skipped'); return; }
  const shared = findShared(root);
  if (!shared) { say('cannot find shared/lab/setup-lab.sh (set VIRTUI_SHARED); or set VIRTUI_SKIP_LAB=1'); process.exit(1); }
  if (!isRoot) { say('the lab (a real libvirt host) needs root: run the tests as root, or set VIRTUI_SKIP_LAB=1'); process.exit(1); }
  labScript(shared, 'setup-lab.sh', 'the libvirt lab', '; the first time takes a few minutes');
  // lab 2: a second host (own daemon, sshd on 127.0.0.1:2222) for the many-hosts and qemu+ssh tests
  if (process.env.VIRTUI_SKIP_LAB2 === '1') { say('VIRTUI_SKIP_LAB2=1: the lab 2 tests will be skipped'); return; }
  if (!existsSync(join(shared, 'lab', 'setup-lab2.sh'))) { say('no shared/lab/setup-lab2.sh: the lab 2 tests will be skipped'); return; }
  lab2Packages(join(shared, 'lab', 'setup-lab2.sh'));
  labScript(shared, 'setup-lab2.sh', 'lab 2 (a second host, virtlab2)');
}

/**
 * Installs the packages setup-lab2.sh wants before it runs: on a machine that has never had one
 * of them, its `dpkg-query -W` exits 1 under `set -e -o pipefail` and the script stops without a
 * word. As the script does, no maintainer script may start sshd or the guest agent as a service.
 */
function lab2Packages(script) {
  const want = /^PKGS2="([^"]*)"/m.exec(readFileSync(script, 'utf8'))?.[1]?.split(/\s+/).filter(Boolean) ?? [];
  const installed = (p) => spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', p], { encoding: 'utf8' }).stdout?.startsWith('ii');
  const missing = want.filter((p) => !installed(p));
  if (!missing.length) return;
  say(`installing ${missing.join(' ')} for lab 2 with apt-get`);
  const policy = '/usr/sbin/policy-rc.d';
  const made = !existsSync(policy);
  if (made) writeFileSync(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    const env = { DEBIAN_FRONTEND: 'noninteractive' };
    const err = run('apt-get', ['update', '-q'], { env }) || run('apt-get', ['install', '-y', '-q', '--no-install-recommends',
      '-o', 'Dpkg::Options::=--force-confdef', '-o', 'Dpkg::Options::=--force-confold', ...missing], { env });
    if (err) { say(`apt-get failed:\n${err}`); process.exit(1); }
  } finally {
    if (made) rmSync(policy, { force: true });
  }
}

/**
 * `run` (README's `node .`, `npm start` and the installed `virtui`: src/bin.mjs), `test` (npm
 * test) or `deps` (npm run bench).
 * @param {string} mode @param {string[]} args
 */
export async function boot(mode, args) {
  if (mode === 'deps') {
    ensureNodeModules(true);
  } else if (mode === 'test') {
    ensureNodeModules(true);
    ensureTools([['virsh', 'libvirt-clients'], ['tmux', 'tmux'], ['xmllint', 'libxml2-utils'], ['qemu-img', 'qemu-utils'], ...GUEST_TOOLS, ['xorriso', 'xorriso']]);
    ensureLab();
  } else if (mode === 'run') {
    ensureNodeModules(false);
    ensureTools([['virsh', 'libvirt-clients']], [['xmllint', 'libxml2-utils'], ['qemu-img', 'qemu-utils'], ...GUEST_TOOLS]);
    // a bundle of the sources, made once and reused while they are unchanged (launch.mjs)
    const { loadMain } = await import('./launch.mjs');
    const main = await loadMain(root);
    await main(args);
  } else {
    say(`unknown mode ${mode} (run, test or deps)`);
    process.exit(2);
  }
}

// `node src/virsh/bootstrap.mjs MODE -- ARGS` (npm's scripts, the e2e tests)
const isMain = () => { try { return realpathSync(process.argv[1] ?? '') === fileURLToPath(import.meta.url); } catch { return false; } };
if (isMain()) {
  const [mode = 'run', ...rest] = process.argv.slice(2);
  await boot(mode, rest[0] === '--' ? rest.slice(1) : rest);
}
