import { closeSync, ftruncateSync, openSync, write } from 'node:fs';

/**
 * An append-only file written in the background: callers add lines without waiting, writes are
 * batched, and `truncate` empties the file without losing the order of what follows.
 */
export class LineSink {
  private readonly fd: number;
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(readonly path: string) {
    // Mode 0666 (less the umask) so the user who started a container can remove its logs.
    this.fd = openSync(path, 'a', 0o666);
  }

  add(line: string): void {
    this.pending.push(line);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flushPending());
    }
  }

  /** Resolves once everything added so far is on disk. */
  flush(): Promise<void> {
    this.flushPending();
    return this.writing;
  }

  async truncate(): Promise<void> {
    await this.flush();
    ftruncateSync(this.fd, 0);
  }

  async close(): Promise<void> {
    await this.flush();
    closeSync(this.fd);
  }

  private flushPending(): void {
    this.scheduled = false;
    if (this.pending.length === 0) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.writing = this.writing
      .then(() => writeAll(this.fd, Buffer.from(text)))
      .catch((error: unknown) => {
        // A full disk must not stop a general: say so once per failed write and go on.
        process.stderr.write(`cannot write ${this.path}: ${String(error)}\n`);
      });
  }
}

function writeAll(fd: number, buffer: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number): void => {
      write(fd, buffer, offset, buffer.length - offset, null, (error, written) => {
        if (error) reject(error);
        else if (offset + written < buffer.length) step(offset + written);
        else resolve();
      });
    };
    step(0);
  });
}
