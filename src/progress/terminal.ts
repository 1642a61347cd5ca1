import { performance } from 'node:perf_hooks';

/** Where progress goes: a terminal stream (process.stderr), or a stand-in in tests. */
export interface ProgressStream {
  readonly isTTY?: boolean | undefined;
  write(text: string): boolean;
}

export interface Spinner {
  /** Changes the text after the spinner. */
  update(label: string): void;
  /** Clears the spinner, leaving `finalLine` (if any) in its place. */
  stop(finalLine?: string): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR_LINE = '\r\x1b[2K';

const NO_SPINNER: Spinner = { update: () => {}, stop: () => {} };

/**
 * Live progress for people at a terminal, on stderr: a spinner and a line per finished step. Silent
 * unless both stdout and stderr are terminals and the output is not --json, so that pipes, files,
 * CI logs and JSON consumers never see it.
 */
export class TerminalProgress {
  private spinner: { label: string; timer: NodeJS.Timeout; frame: number; started: number } | undefined;

  constructor(
    private readonly stream: ProgressStream | undefined,
    private readonly now: () => number = () => performance.now(),
    private readonly tickMs = 80,
  ) {}

  /** Progress for a command: on stderr when it and stdout are TTYs and `json` is off; else silent. */
  static forCommand(
    json: boolean,
    stdout: ProgressStream = process.stdout,
    stderr: ProgressStream = process.stderr,
  ): TerminalProgress {
    const enabled = !json && stdout.isTTY === true && stderr.isTTY === true;
    return new TerminalProgress(enabled ? stderr : undefined);
  }

  get enabled(): boolean {
    return this.stream !== undefined;
  }

  /** Starts a spinner (one at a time: a new one replaces the old). */
  spin(label: string): Spinner {
    const stream = this.stream;
    if (stream === undefined) return NO_SPINNER;
    this.clear();
    const state = {
      label,
      frame: 0,
      started: this.now(),
      timer: setInterval(() => this.draw(), this.tickMs),
    };
    state.timer.unref();
    this.spinner = state;
    this.draw();
    return {
      update: (next) => {
        if (this.spinner === state) state.label = next;
      },
      stop: (finalLine) => {
        if (this.spinner === state) this.clear();
        if (finalLine !== undefined) stream.write(`${finalLine}\n`);
      },
    };
  }

  /** A finished step, printed above the spinner (which keeps going). */
  line(text: string): void {
    if (this.stream === undefined) return;
    this.stream.write(`${CLEAR_LINE}${text}\n`);
    if (this.spinner !== undefined) this.draw();
  }

  /** Stops any spinner and clears its line. */
  close(): void {
    this.clear();
  }

  private draw(): void {
    const s = this.spinner;
    if (s === undefined || this.stream === undefined) return;
    s.frame = (s.frame + 1) % FRAMES.length;
    const seconds = ((this.now() - s.started) / 1000).toFixed(1);
    this.stream.write(`${CLEAR_LINE}${FRAMES[s.frame]} ${s.label} (${seconds} s)`);
  }

  private clear(): void {
    if (this.spinner === undefined) return;
    clearInterval(this.spinner.timer);
    this.spinner = undefined;
    this.stream?.write(CLEAR_LINE);
  }
}
