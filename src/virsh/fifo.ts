// Real pipes for the session's virsh. Node gives a child's stdio as socketpairs, and a unix
// socket is a poor pipe for virsh: every line it prints is a write(2) of its own (3000 for a
// `domstats` of 1000 domains), and each becomes a socket buffer of its own of a kilobyte or
// more, so the socket fills after a few hundred lines and virsh waits to be read, again and
// again. A pipe packs small writes into its pages: the whole answer fits in its 64 KiB and
// is read in one or two reads. Measured on a 1000-domain test world (virsh and the reader,
// CPU per `domstats`): socket 14 ms and 4 ms, pipe 7.7 ms and 0.8 ms. Node has no pipe(2), so
// these are FIFOs, made in a private folder and unlinked as soon as both ends are open. (stderr
// too: every batch ends with a line there.)
import { execFileSync } from 'node:child_process';
import { closeSync, constants as C, mkdtempSync, openSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';

export interface FifoStdio {
  /** the child's ends (blocking): its stdin (read), stdout and stderr (write) */
  child: [number, number, number];
  /** ours (non-blocking): what we write to its stdin, what we read of its stdout and stderr */
  ours: [number, number, number];
  /** closes the child's ends here, once it holds them (after spawn) */
  release(): void;
}

/**
 * Three pipes for a child's stdin, stdout and stderr, or null when they cannot be made here (no
 * mkfifo, a temporary folder that cannot be written): the caller then uses Node's own.
 */
export function fifoStdio(dir = tmpdir()): FifoStdio | null {
  let d: string | null = null;
  const fds: number[] = [];
  const open = (f: string, flags: number) => { const fd = openSync(f, flags); fds.push(fd); return fd; };
  try {
    d = mkdtempSync(join(dir, 'virtui-io-'));
    const [inF, outF, errF] = ['in', 'out', 'err'].map((n) => join(d!, n)) as [string, string, string];
    execFileSync('mkfifo', ['-m', '600', inF, outF, errF], { stdio: 'ignore' });
    // The child's ends must block (readline and printf do not expect EAGAIN) and ours must not:
    // each open() is a description of its own, with its own flags. Opening one end of a FIFO
    // blocks until the other is open, except for a non-blocking read: so that one comes first,
    // and a blocking open of the child's read end follows once our write end exists.
    const probe = open(inF, C.O_RDONLY | C.O_NONBLOCK);
    const ourIn = open(inF, C.O_WRONLY | C.O_NONBLOCK);
    const childIn = open(inF, C.O_RDONLY);
    closeSync(fds.splice(fds.indexOf(probe), 1)[0]!);
    const ourOut = open(outF, C.O_RDONLY | C.O_NONBLOCK);
    const childOut = open(outF, C.O_WRONLY);
    const ourErr = open(errF, C.O_RDONLY | C.O_NONBLOCK);
    const childErr = open(errF, C.O_WRONLY);
    let released = false;
    return {
      child: [childIn, childOut, childErr],
      ours: [ourIn, ourOut, ourErr],
      release: () => {
        if (released) return;
        released = true;
        for (const fd of [childIn, childOut, childErr]) try { closeSync(fd); } catch { /* closed */ }
      },
    };
  } catch {
    for (const fd of fds) try { closeSync(fd); } catch { /* closed */ }
    return null;
  } finally {
    // the pipes live on in the open ends; nobody else can open them
    if (d) rmSync(d, { recursive: true, force: true });
  }
}

/** Our end of the child's stdin. */
export function writerOf(fd: number): Socket {
  return new Socket({ fd, readable: false, writable: true });
}

/**
 * Our end of a child's output, read into one buffer of our own and handed on as text: no
 * Buffer per read, no stream machinery between the pipe and `onText` (a tick's answer is one
 * or two reads, and these costs were a fifth of an idle tick's JavaScript). 'end' and 'error'
 * come as on any socket; readStop/readStart (see session.ts's restPipe) work as on any pipe.
 */
export function readerOf(fd: number, onText: (text: string) => void): Socket {
  const decoder = new StringDecoder('utf8');
  const buffer = Buffer.allocUnsafe(64 * 1024);
  // (Node takes `onread` here as in net.connect; its types name it only there)
  const opts = {
    fd, readable: true, writable: false,
    onread: { buffer, callback: (n: number, b: Buffer) => { const t = decoder.write(b.subarray(0, n)); if (t) onText(t); return true; } },
  };
  return new Socket(opts as ConstructorParameters<typeof Socket>[0]);
}
