import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Round durations run from a millisecond (loopback, n=4) to the deadline of a silent sender's round. */
const ROUND_BUCKETS_SECONDS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
];

/** What the general knows at scrape time, read then rather than counted on the hot path. */
export interface LiveCounts {
  /** Exchange streams to peers that the peer has answered, and streams from peers open here. */
  streams(): { readonly out: number; readonly in: number };
  runsInProgress(): number;
}

/**
 * One general's Prometheus metrics, in a registry of its own. Every event costs an increment of a
 * counter bound once to its labels: nothing is computed per value, and what is a state rather
 * than an event (streams open, runs in progress) is read when Prometheus scrapes.
 */
export class GeneralMetrics {
  readonly registry = new Registry();
  private readonly runsJoined: Counter<'algorithm'>;
  private readonly runsDecided: Counter<'decision'>;
  private readonly sentAccepted: Counter.Internal;
  private readonly sentFailed: Counter.Internal;
  private readonly valuesSent: Counter;
  private readonly batchesReceived: Counter;
  private readonly valuesReceived: Counter;
  private readonly batchesRejected: Counter<'reason'>;
  private readonly valuesIgnored: Counter;
  private readonly liesTold: Counter;
  private readonly roundsTimedOut: Counter;
  private readonly roundDuration: Histogram;
  private readonly requestsRefused: Counter<'method' | 'reason'>;

  constructor(id: number) {
    const registers = [this.registry];
    this.registry.setDefaultLabels({ general: String(id) });
    collectDefaultMetrics({ register: this.registry });
    this.runsJoined = new Counter({
      name: 'byzantine_runs_joined_total',
      help: 'Runs this general joined (RunAlgorithm accepted)',
      labelNames: ['algorithm'],
      registers,
    });
    this.runsDecided = new Counter({
      name: 'byzantine_runs_decided_total',
      help: 'Runs this lieutenant decided, by decision (the commander issues its order and decides nothing)',
      labelNames: ['decision'],
      registers,
    });
    const batchesSent = new Counter({
      name: 'byzantine_batches_sent_total',
      help: 'Batches this general sent (issued or forwarded): accepted by their receiver, or failed (refused, or no acknowledgement by the deadline)',
      labelNames: ['result'],
      registers,
    });
    this.sentAccepted = batchesSent.labels('accepted');
    this.sentFailed = batchesSent.labels('failed');
    this.valuesSent = new Counter({
      name: 'byzantine_values_sent_total',
      help: 'Values (SM: signed chains) in the batches this general sent that their receiver accepted',
      registers,
    });
    this.batchesReceived = new Counter({
      name: 'byzantine_batches_received_total',
      help: 'Batches this general accepted',
      registers,
    });
    this.valuesReceived = new Counter({
      name: 'byzantine_values_received_total',
      help: 'Values (SM: signed chains) in the batches this general accepted',
      registers,
    });
    this.batchesRejected = new Counter({
      name: 'byzantine_batches_rejected_total',
      help: 'Batches this general refused, by reason (duplicate, round-closed, wrong-length, unauthenticated, unknown-run, ...)',
      labelNames: ['reason'],
      registers,
    });
    this.valuesIgnored = new Counter({
      name: 'byzantine_values_ignored_total',
      help: 'SM: values of accepted batches ignored because a signature in their chain does not verify',
      registers,
    });
    this.liesTold = new Counter({
      name: 'byzantine_lies_total',
      help: 'Values this general (a traitor) sent other than a loyal general would have, or withheld',
      registers,
    });
    this.roundsTimedOut = new Counter({
      name: 'byzantine_rounds_timed_out_total',
      help: 'Rounds this lieutenant closed at their deadline, with batches still missing',
      registers,
    });
    this.roundDuration = new Histogram({
      name: 'byzantine_round_duration_seconds',
      help: 'How long each round this lieutenant closed took, from the close of the round before (from joining, for round 0)',
      buckets: ROUND_BUCKETS_SECONDS,
      registers,
    });
    this.requestsRefused = new Counter({
      name: 'byzantine_requests_refused_total',
      help: 'RunAlgorithm, ResetLog, GetDecision and GetTrace requests refused, by method and reason',
      labelNames: ['method', 'reason'],
      registers,
    });
  }

  /** Reads what is a state rather than an event from `live`, at each scrape. */
  watch(live: LiveCounts): void {
    const registers = [this.registry];
    new Gauge({
      name: 'byzantine_peer_streams_open',
      help: 'Exchange streams open between this general and its peers: out, those it opened and the peer answered; in, those peers opened to it',
      labelNames: ['direction'],
      registers,
      collect() {
        const streams = live.streams();
        this.set({ direction: 'out' }, streams.out);
        this.set({ direction: 'in' }, streams.in);
      },
    });
    new Gauge({
      name: 'byzantine_runs_in_progress',
      help: 'Runs this general has joined and not finished',
      registers,
      collect() {
        this.set(live.runsInProgress());
      },
    });
  }

  runJoined(algorithm: string): void {
    this.runsJoined.inc({ algorithm });
  }

  decided(decision: string): void {
    this.runsDecided.inc({ decision });
  }

  batchSent(values: number, failed: boolean): void {
    if (failed) {
      this.sentFailed.inc();
      return;
    }
    this.sentAccepted.inc();
    this.valuesSent.inc(values);
  }

  batchReceived(values: number): void {
    this.batchesReceived.inc();
    this.valuesReceived.inc(values);
  }

  batchRejected(reason: string): void {
    this.batchesRejected.inc({ reason });
  }

  valuesIgnoredBy(count: number): void {
    this.valuesIgnored.inc(count);
  }

  lies(count: number): void {
    this.liesTold.inc(count);
  }

  roundClosed(timedOut: boolean, elapsedMs: number): void {
    if (timedOut) this.roundsTimedOut.inc();
    this.roundDuration.observe(elapsedMs / 1000);
  }

  requestRefused(method: string, reason: string): void {
    this.requestsRefused.inc({ method, reason });
  }

  /** The exposition text a scrape gets, and its content type. */
  async exposition(): Promise<{ body: string; contentType: string }> {
    return { body: await this.registry.metrics(), contentType: this.registry.contentType };
  }
}
