import { closeSync, ftruncateSync, openSync, writeSync } from 'node:fs';

/** Where a sink writes: a file it opened (and closes), or a descriptor it was given (stdout). */
type Target = { readonly fd: number; readonly owned: boolean };

/**
 * How long lines wait to be written together. A run's rounds close every few milliseconds, and a
 * write per event-loop turn measured a third of a general's busy time during a run (n=10, t=3);
 * gathering them for a few milliseconds more makes far fewer writes. `flush` writes at once.
 */
export const LINE_FLUSH_MS = 25;

/**
 * An append-only file written in the background: callers add lines without waiting, writes are
 * batched, and `truncate` empties the file without losing the order of what follows.
 *
 * `LineSink.onDescriptor` writes the same way to a descriptor it does not own (a general's stdout),
 * where a reader that stops reading must neither stall the general nor grow its memory without end:
 * past `maxPending` lines waiting, new lines are dropped and counted, and the count is written once
 * the reader catches up.
 */
export class LineSink {
  private readonly target: Target;
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;
  /** Lines handed to a write that has not finished yet. */
  private inFlight = 0;
  private dropped = 0;
  private broken = false;

  constructor(
    readonly path: string,
    target?: Target,
    private readonly maxPending = Number.POSITIVE_INFINITY,
    /** The line that stands for lines dropped (only a sink with a finite maxPending drops any). */
    private readonly droppedLine: (count: number) => string = (count) => `(${count} line(s) dropped)`,
  ) {
    // Mode 0666 (less the umask) so the user who started a container can remove its logs.
    this.target = target ?? { fd: openSync(path, 'a', 0o666), owned: true };
  }

  /** A sink on an open descriptor (1 for stdout), never closed or truncated by the sink. */
  static onDescriptor(
    fd: number,
    name: string,
    maxPending: number,
    droppedLine: (count: number) => string,
  ): LineSink {
    return new LineSink(name, { fd, owned: false }, maxPending, droppedLine);
  }

  add(line: string): void {
    if (this.broken) return;
    if (this.pending.length + this.inFlight >= this.maxPending) {
      this.dropped++;
      return;
    }
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setTimeout(() => this.flushPending(), LINE_FLUSH_MS);
    }
  }

  /** Resolves once everything added so far is on disk. */
  flush(): Promise<void> {
    this.flushPending();
    return this.writing;
  }

  async truncate(): Promise<void> {
    await this.flush();
    if (this.target.owned) ftruncateSync(this.target.fd, 0);
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.target.owned) closeSync(this.target.fd);
  }

  private flushPending(): void {
    this.scheduled = false;
    if (this.pending.length === 0 && this.dropped === 0) return;
    if (this.dropped > 0 && this.pending.length + this.inFlight < this.maxPending) {
      this.pending.unshift(this.droppedLine(this.dropped));
      this.dropped = 0;
    }
    if (this.pending.length === 0) return;
    const lines = this.pending.length;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.inFlight += lines;
    this.writing = this.writing
      .then(() => writeAll(this.target.fd, Buffer.from(text)))
      .catch((error: unknown) => {
        // A reader that went away (EPIPE) is gone for good: stop writing to it, quietly.
        if (!this.target.owned && (error as NodeJS.ErrnoException).code === 'EPIPE') {
          this.broken = true;
          return;
        }
        // A full disk must not stop a general: say so once per failed write and go on.
        process.stderr.write(`cannot write ${this.path}: ${String(error)}\n`);
      })
      .finally(() => {
        this.inFlight -= lines;
      });
  }
}

/** How long to wait before writing again to a full non-blocking pipe, growing to the last. */
const RETRY_MS = [1, 5, 20, 50, 100] as const;

/**
 * Writes synchronously, a log file as stdout (as Node writes its own stdout to a pipe): a copy into
 * the page cache or the pipe, a few times a second. Handing it to libuv's thread pool instead cost
 * more than the write (measured: a sixth of a general's busy time during n=10 runs, in waking a
 * worker thread for every write). A non-blocking pipe whose reader is behind answers EAGAIN (a file
 * never does): the rest waits and is tried again shortly, so a slow reader never stalls the general.
 */
function writeAll(fd: number, buffer: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    let retries = 0;
    const step = (from: number): void => {
      let offset = from;
      try {
        while (offset < buffer.length) offset += writeSync(fd, buffer, offset);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') {
          reject(error);
          return;
        }
        setTimeout(() => step(offset), RETRY_MS[Math.min(retries++, RETRY_MS.length - 1)]);
        return;
      }
      resolve();
    };
    step(0);
  });
}
