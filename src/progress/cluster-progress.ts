import { performance } from 'node:perf_hooks';
import { waitForGenerals } from '../net/cluster-client.js';
import type { PeerClients } from '../net/peers.js';
import { type RoundWatch, watchRounds } from '../net/trace-client.js';
import { formatRoundLine, RoundTracker } from './rounds.js';
import type { Spinner, TerminalProgress } from './terminal.js';

/**
 * Progress of a run on real generals: a spinner while they become healthy, then a line per round
 * as every lieutenant closes it, followed over WatchRun streams. When the terminal progress is
 * disabled (--json, or not a TTY) it adds nothing: no output and no extra RPC.
 */
export class ClusterProgress {
  private watch: RoundWatch | undefined;
  private spinner: Spinner | undefined;

  constructor(
    private readonly terminal: TerminalProgress,
    private readonly peers: PeerClients,
    /** The run's last round: t under OM and SM, 3(t+1) under King. */
    private readonly lastRound: number,
  ) {}

  /** waitForGenerals, with a spinner naming the generals not yet healthy. */
  async waitForGenerals(waitMs: number, signal?: AbortSignal): Promise<void> {
    if (!this.terminal.enabled) return waitForGenerals(this.peers, waitMs, undefined, signal);
    const n = this.peers.peers.length;
    const spinner = this.terminal.spin(`waiting for ${n} generals to become healthy`);
    try {
      await waitForGenerals(
        this.peers,
        waitMs,
        (pending) => {
          const list = pending.length > 8 ? `${pending.slice(0, 8).join(', ')}, …` : pending.join(', ');
          spinner.update(`waiting for ${n} generals to become healthy: ${pending.length} not yet (${list})`);
        },
        signal,
      );
      spinner.stop(`${n} generals healthy`);
    } catch (error) {
      spinner.stop();
      throw error;
    }
  }

  /** For RunRequest.onLieutenantsJoined: follows the run's rounds; undefined when disabled. */
  get onLieutenantsJoined(): ((runId: string, joined: number[], waitMs: number) => void) | undefined {
    if (!this.terminal.enabled) return undefined;
    return (runId, joined, waitMs) => this.follow(runId, joined, waitMs);
  }

  private follow(runId: string, joined: number[], waitMs: number): void {
    const rounds = this.lastRound + 1;
    const tracker = new RoundTracker(this.lastRound, joined, () => performance.now());
    this.spinner = this.terminal.spin(`run ${runId}: round 1 of ${rounds} (round 0)`);
    const show = (lines: ReturnType<RoundTracker['report']>) => {
      for (const line of lines) {
        this.terminal.line(formatRoundLine(line));
        if (line.round < this.lastRound) {
          this.spinner?.update(
            `run ${runId}: round ${line.round + 2} of ${rounds} (round ${line.round + 1})`,
          );
        }
      }
      if (tracker.done) this.spinner?.update(`run ${runId}: collecting decisions`);
    };
    this.watch = watchRounds(
      this.peers,
      runId,
      joined,
      waitMs,
      (id, report) => show(tracker.report(id, report)),
      (id) => show(tracker.gone(id)),
    );
  }

  /** Ends the streams and clears the spinner. */
  stop(): void {
    this.watch?.cancel();
    this.watch = undefined;
    this.spinner?.stop();
    this.spinner = undefined;
    this.terminal.close();
  }
}
