/**
 * The generals on a real Docker Swarm of three engines (../shared/swarm-lab), from the real
 * generator's stack file, with mutual TLS:
 *
 *   npm run test:swarm        (after `eval "$(../shared/docker-offline/setup.sh)"`; `.ci/run` does it)
 *
 * Brings the lab up, builds the image (the real Dockerfile) and pushes it to the lab's registry,
 * deploys `generate-compose.ts 10 3,4,7 --swarm`, shows that no node holds all ten generals, that
 * each general's health probe answers over mutual TLS as the general itself, runs OM(3) for ATTACK
 * through the stack's client service (IC1, IC2, ATTACK, every message), reads each general's
 * output from the manager and its log files from the volume on each node, and writes the report
 * from those files. Then loses a node in the middle of a run (the others decide; those on the lost
 * node are unreachable, exit 3), brings it back and agrees again. Then 31 generals over the same
 * nodes, OM(3). Prints, last, one line: nodes, generals per node, verdict, run time. Takes the lab
 * down afterwards, also when something failed. With no engine or no lab it fails: it never skips.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compiledCli } from '../support/build.js';
import { buildImage, MINUTE, mustRun, pollUntil, ROOT, requireDocker, run } from '../support/commands.js';
import { SwarmLab } from './lab.js';
import { type ClientRun, SwarmStack } from './stack.js';

const TSX = import.meta.resolve('tsx');
const CLI = compiledCli();
const STARTED = Date.now();

const NODES = 3;
/** A tag of this layer's own: never :latest or :e2e, which other work on the engine uses. */
const IMAGE = 'byzantine-generals:swarm';
const T = 3;
const TRAITORS = [3, 4, 7] as const;
const SMALL = 10;
const LARGE = 31;
/** Exit statuses of `byzantine client` (DESIGN.md). */
const CLIENT_EXIT = { agreement: 0, unreachable: 3 } as const;
/**
 * The lost-node run's round deadline (the client's --round-timeout): long enough that the run is
 * surely still going when the node is lost, short enough that it ends soon after.
 */
const LOST_RUN_ROUND_MS = 4000;
/**
 * The stacks' round deadline (ROUND_TIMEOUT_MS): generous, for a loaded two-core machine running
 * three engines (a deadline only costs time when something is missing, and every run here but the
 * lost node's has nothing missing). The large run gives itself more (--round-timeout).
 */
const STACK_ROUND_MS = 10_000;
const LARGE_RUN_ROUND_MS = 30_000;
/**
 * How long the client waits for every general to answer its health check (--wait) once the swarm
 * reports them healthy. The default 30 s is for one engine; here, after a node returns or when 31
 * tasks have just started on three engines sharing two cores, a general's name and address can
 * reach the client's node later than that (CI saw the large run call a general unreachable once).
 */
const CLIENT_WAIT_MS = 2 * 60_000;

const LIMITS = {
  lab: 10 * MINUTE,
  build: 10 * MINUTE,
  healthy: 5 * MINUTE,
  run: 5 * MINUTE,
  removed: 3 * MINUTE,
} as const;

/**
 * Values an OM(t) run sends in all, by hand: in round r (0..t) every path of r+1 distinct
 * generals starting at the commander is relayed once, so (n-1)(n-2)...(n-1-r) values.
 */
function omMessages(n: number, t: number): number {
  let total = 0;
  let paths = 1;
  for (let r = 0; r <= t; r++) {
    paths *= n - 1 - r;
    total += paths;
  }
  return total;
}

interface JsonResult {
  runId: string;
  ic1: boolean;
  ic2: boolean;
  consensus?: string | null;
  generals: { id: number; role: string; decision: string | null; reachable: boolean; error?: string }[];
  messages: { expected: number; delivered: number };
  elapsedMs: number;
}

function jsonOf(ran: ClientRun): JsonResult {
  const text = ran.output.trim();
  const start = text.indexOf('{');
  assert.ok(start >= 0, `a JSON report on the client's output:\n${text}`);
  return JSON.parse(text.slice(start)) as JsonResult;
}

/**
 * A client run for a failure message: first the gist (unreachable generals with why, the split,
 * the messages), which a shortened CI log still shows; then everything the client printed.
 */
function shown(ran: ClientRun): string {
  let gist = '';
  try {
    const result = jsonOf(ran);
    const lost = result.generals.filter((g) => !g.reachable);
    const split = result.generals.filter((g) => g.decision !== null).map((g) => `${g.id}:${g.decision}`);
    gist =
      `unreachable [${lost.map((g) => `${g.id}: ${g.error ?? '?'}`).join('; ')}]; ` +
      `ic1 ${result.ic1}, ic2 ${result.ic2}; decisions ${split.join(' ')}; ` +
      `messages ${result.messages.delivered}/${result.messages.expected}; ${Math.round(result.elapsedMs)} ms\n`;
  } catch {
    // Not a JSON run (the card's text output): the output below is the whole story.
  }
  return `client task ${ran.task} on ${ran.node}, exit ${ran.status}: ${gist}${ran.output}`;
}

/** "n1 4, n2 3, n3 3": generals per node, every lab node named. */
function perNode(lab: SwarmLab, placement: ReadonlyMap<number, string>): string {
  return lab.nodes
    .map(
      ({ hostname }) => `${hostname} ${[...placement.values()].filter((node) => node === hostname).length}`,
    )
    .join(', ');
}

/** Generates a stack with the real generator, as docs/scale-out.md does, into a directory of its own. */
function generateStack(dir: string, generals: number, image: string): void {
  mustRun([
    process.execPath,
    '--import',
    TSX,
    join(ROOT, 'generate-compose.ts'),
    `${generals}`,
    TRAITORS.join(','),
    '--swarm',
    '--round-timeout',
    `${STACK_ROUND_MS}`,
    '--image',
    image,
    '--out',
    join(dir, 'stack.yaml'),
  ]);
}

describe(`a Docker Swarm of ${NODES} engines`, () => {
  let lab: SwarmLab | undefined;
  let image = '';
  let workDir = '';
  const paused: string[] = [];
  /** Set before `up`: whatever part of the lab came up is taken down. */
  let labStarted = false;
  /** The line printed last: filled in as the runs go. */
  let summary = 'swarm: no verdict (the layer stopped before the large run)';

  process.on('exit', () => {
    const minutes = ((Date.now() - STARTED) / MINUTE).toFixed(1);
    process.stdout.write(`${summary}; layer ${minutes} min\n`);
  });

  before(
    () => {
      requireDocker();
      labStarted = true;
      lab = SwarmLab.up(NODES);
      buildImage(IMAGE, LIMITS.build);
      image = lab.push(IMAGE);
      workDir = mkdtempSync(join(tmpdir(), 'byzantine-swarm-'));
    },
    { timeout: LIMITS.lab + LIMITS.build + 5 * MINUTE },
  );

  after(
    () => {
      const problems: string[] = [];
      for (const container of paused) run(['docker', 'unpause', container]);
      if (labStarted) {
        const down = SwarmLab.down();
        if (down.status !== 0) problems.push(`swarm-lab.sh down: ${down.stderr}`);
        const left = run(['docker', 'ps', '-aq', '--filter', 'name=^swarmlab-']).stdout.trim();
        if (left !== '') problems.push(`lab containers left behind: ${left}`);
      }
      if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
      assert.deepEqual(problems, [], 'teardown');
    },
    { timeout: 5 * MINUTE },
  );

  const theLab = (): SwarmLab => {
    assert.ok(lab !== undefined, 'the lab is up');
    return lab;
  };

  describe(`${SMALL} generals, traitors ${TRAITORS.join(',')}: \`generate-compose.ts ${SMALL} ${TRAITORS.join(',')} --swarm\``, () => {
    let stack: SwarmStack | undefined;
    const runIds: string[] = [];

    const theStack = (): SwarmStack => {
      assert.ok(stack !== undefined, 'the stack is deployed');
      return stack;
    };

    before(
      async () => {
        const dir = join(workDir, 'ten');
        generateStack(dir, SMALL, image);
        stack = new SwarmStack(theLab(), 'bgp', dir, SMALL);
        stack.deploy();
        await stack.waitHealthy(LIMITS.healthy);
        // Every run's client task on the manager's node: the node lost below is another one.
        stack.pinClient(theLab().managerHostname);
      },
      { timeout: LIMITS.healthy + 2 * MINUTE },
    );

    it('spreads the generals over the nodes: no node holds all of them', () => {
      const lab = theLab();
      const placement = theStack().placement();
      assert.deepEqual(
        [...placement.keys()].sort((a, b) => a - b),
        Array.from({ length: SMALL }, (_, id) => id),
        'every general runs',
      );
      // Each node's own list of the tasks it runs (docker node ps), against the stack's view.
      for (const { hostname } of lab.nodes) {
        const listed = lab
          .mustDocker(['node', 'ps', hostname, '--filter', 'desired-state=running', '--format', '{{.Name}}'])
          .stdout.split('\n')
          .filter((name) => name.startsWith('bgp_general-'));
        const placedHere = [...placement]
          .filter(([, node]) => node === hostname)
          .map(([id]) => `bgp_general-${id}`);
        assert.deepEqual(
          listed.map((name) => name.replace(/\.\d+$/, '')).sort(),
          placedHere.sort(),
          hostname,
        );
        assert.ok(listed.length < SMALL, `${hostname} holds ${listed.length} of ${SMALL}`);
      }
      const used = new Set(placement.values());
      assert.ok(used.size >= 2, `the generals are on ${used.size} node(s): ${perNode(lab, placement)}`);
      process.stderr.write(`# ${SMALL} generals per node: ${perNode(lab, placement)}\n`);
    });

    it("answers each general's health probe over mutual TLS, as the general itself", () => {
      const lab = theLab();
      const stack = theStack();
      for (let id = 0; id < SMALL; id++) {
        const { node, container } = stack.containerOf(id);
        const health = lab
          .on(node, ['inspect', '--format', '{{.State.Health.Status}}', container])
          .stdout.trim();
        assert.equal(health, 'healthy', `general ${id} on ${node}`);
      }
      // The probe run by hand in one general per node: TLS with its own key and certificates...
      const byNode = new Map<string, number>();
      for (const [id, node] of stack.placement()) if (!byNode.has(node)) byNode.set(node, id);
      for (const [node, id] of byNode) {
        const { container } = stack.containerOf(id);
        const probe = lab.on(node, ['exec', container, 'node', '/app/dist/src/healthcheck.js']);
        assert.equal(probe.status, 0, `general ${id}'s probe on ${node}: ${probe.stdout}${probe.stderr}`);
        assert.match(probe.stdout, /127\.0\.0\.1:50051 SERVING/);
      }
      // ...and in plaintext it is refused: the general serves TLS only, so the probe must speak it.
      const [node, id] = [...byNode][0] ?? ['', 0];
      const { container } = stack.containerOf(id);
      const plain = lab.on(node, [
        'exec',
        '-e',
        'AUTH=off',
        container,
        'node',
        '/app/dist/src/healthcheck.js',
      ]);
      assert.equal(plain.status, 1, `a plaintext probe is refused: ${plain.stdout}`);
    });

    it(`runs OM(${T}) for ATTACK with the stack's client service: exit 0, IC1, IC2, ATTACK, every message`, async () => {
      // The stack's own command (--order ATTACK --t 3), as `docker service scale bgp_client=1` runs it.
      const ran = await theStack().runClient(undefined, LIMITS.run);
      assert.equal(ran.status, CLIENT_EXIT.agreement, shown(ran));
      assert.match(
        ran.output,
        new RegExp(`^OM\\(${T}\\) with ${SMALL} generals, order ATTACK, run (\\S+)$`, 'm'),
      );
      assert.match(ran.output, /^IC1 holds/m, shown(ran));
      assert.match(ran.output, /^IC2 holds/m, shown(ran));
      assert.match(ran.output, /^Final consensus reached: ATTACK$/m, shown(ran));
      const all = omMessages(SMALL, T).toLocaleString('en-US');
      assert.equal(all, '3,609');
      assert.match(ran.output, new RegExp(`^${all} of ${all} logical messages delivered`, 'm'), shown(ran));
      const runId = /, run (\S+)$/m.exec(ran.output)?.[1];
      assert.ok(runId !== undefined);
      runIds.push(runId);
      process.stderr.write(
        `# OM(${T}), ${SMALL} generals: ${/^.*logical messages.*$/m.exec(ran.output)?.[0]}\n`,
      );
    });

    it("reads each general's output from the manager and its log files from each node's volume; the report is written from them", () => {
      const stack = theStack();
      const [runId] = runIds;
      assert.ok(runId !== undefined, 'the first run happened');
      for (let id = 0; id < SMALL; id++) {
        const logs = stack.serviceLogs(id);
        assert.equal(logs.status, 0, logs.stderr);
        // Its start line and its progress in the run, whichever node it is on.
        assert.match(
          logs.stdout,
          new RegExp(
            `general ${id}: listening on 0\\.0\\.0\\.0:50051 \\(.*${SMALL} generals, auth on\\)$`,
            'm',
          ),
        );
        assert.match(logs.stdout, new RegExp(`general ${id}: run ${runId} joined: OM\\(${T}\\), n=${SMALL}`));
      }
      const logDir = join(workDir, 'ten-logs');
      const byNode = stack.gatherLogFiles(image, logDir);
      const placement = stack.placement();
      for (const [id, node] of placement) {
        // Each general's files are on the volume of the node that ran it.
        for (const file of [`general_${id}_intermediate.log`, `general_${id}_events.jsonl`]) {
          assert.ok(byNode.get(node)?.includes(file), `${file} on ${node}: ${byNode.get(node)?.join(', ')}`);
        }
        const text = readFileSync(join(logDir, `general_${id}_intermediate.log`), 'utf8');
        assert.ok(text.includes(`run=${runId} `), `general ${id}'s log names run ${runId}`);
      }
      const listed = mustRun([process.execPath, CLI, 'report', logDir, '--list']);
      assert.match(listed.stdout, new RegExp(runId));
      const html = join(workDir, 'ten-report.html');
      mustRun([process.execPath, CLI, 'report', logDir, '--run', runId, '--out', html]);
      assert.ok(
        readFileSync(html, 'utf8').includes(`OM(${T}) among ${SMALL} generals, order ATTACK, run ${runId}`),
        'the report shows the run',
      );
      assert.ok(readdirSync(logDir).length >= 2 * SMALL);
    });

    describe('a node lost in the middle of a run', () => {
      let lost = '';
      let frozen: { node: string; container: string } | undefined;

      after(() => {
        const lab = theLab();
        if (lost !== '') run(['docker', 'unpause', lab.node(lost).container]);
        if (frozen !== undefined) lab.on(frozen.node, ['unpause', frozen.container]);
      });

      it('the generals on the other nodes decide; those on the lost node are reported unreachable: exit 3', async () => {
        const lab = theLab();
        const stack = theStack();
        const placement = stack.placement();
        // The node to lose: not the manager's (the client runs there), not the commander's (without
        // a commander there is no run), and of those the one with the most generals.
        const candidates = lab.nodes
          .map(({ hostname }) => hostname)
          .filter((hostname) => hostname !== lab.managerHostname && hostname !== placement.get(0))
          .map((hostname) => ({
            hostname,
            ids: [...placement].filter(([, node]) => node === hostname).map(([id]) => id),
          }))
          .sort((a, b) => b.ids.length - a.ids.length);
        const target = candidates[0];
        assert.ok(
          target !== undefined && target.ids.length >= 2,
          `a node to lose: ${perNode(lab, placement)}`,
        );
        const lostIds = target.ids.sort((a, b) => a - b);
        const others = [...placement.keys()].filter((id) => !lostIds.includes(id));

        // One of its generals paused first (as the e2e test pauses a container): every round after
        // the first then waits out its deadline, which leaves the time to lose the node mid-run.
        const frozenId = lostIds[lostIds.length - 1] ?? -1;
        frozen = stack.containerOf(frozenId);
        mustRun(['docker', 'exec', lab.node(frozen.node).container, 'docker', 'pause', frozen.container]);

        // A lieutenant on the manager's node, whose log shows the run's progress.
        const watchedId =
          others.find((id) => id !== 0 && placement.get(id) === lab.managerHostname) ?? others[1];
        assert.ok(watchedId !== undefined);
        const watched = stack.containerOf(watchedId);
        const watchedLog = () =>
          lab.on(watched.node, [
            'exec',
            watched.container,
            'cat',
            `/app/logs/general_${watchedId}_intermediate.log`,
          ]).stdout;

        const task = await stack.startClient(
          `--order ATTACK --t ${T} --wait 5000 --round-timeout ${LOST_RUN_ROUND_MS} --json`,
        );
        // Mid-run: the watched general has started this run and closed its round 0.
        const runId = await pollUntil(
          `general ${watchedId} to close round 0 of the new run`,
          () => {
            const log = watchedLog();
            const started = [...log.matchAll(/run=(\S+) start /g)]
              .map((m) => m[1])
              .filter((id) => !runIds.includes(id ?? ''));
            const current = started[started.length - 1];
            return current !== undefined && log.includes(`run=${current} round=0 closed`)
              ? current
              : undefined;
          },
          { timeoutMs: 2 * MINUTE, everyMs: 200, seen: () => watchedLog().slice(-2000) },
        );
        lost = target.hostname;
        mustRun(['docker', 'pause', lab.node(lost).container]);
        paused.push(lab.node(lost).container);
        const lostAt = Date.now();

        const ran = await stack.finishClient(task, LIMITS.run);
        const result = jsonOf(ran);
        assert.equal(result.runId, runId);
        assert.equal(ran.status, CLIENT_EXIT.unreachable, shown(ran));
        for (const id of lostIds) {
          const g = result.generals.find((x) => x.id === id);
          assert.equal(
            g?.reachable,
            false,
            `general ${id}, on the lost node ${lost}, is unreachable\n${shown(ran)}`,
          );
        }
        // Those not paused beforehand were in the run when their node went: they were healthy when
        // it began, so they are not among those the client gave up waiting for.
        for (const id of lostIds.filter((id) => id !== frozenId)) {
          const g = result.generals.find((x) => x.id === id);
          assert.doesNotMatch(g?.error ?? '', /not healthy/, `general ${id} joined the run\n${shown(ran)}`);
        }
        for (const id of others) {
          const g = result.generals.find((x) => x.id === id);
          assert.equal(g?.reachable, true, `general ${id}, on ${placement.get(id)}, answers\n${shown(ran)}`);
          if (id !== 0) {
            assert.ok(
              g?.decision === 'ATTACK' || g?.decision === 'RETREAT',
              `general ${id} decides\n${shown(ran)}`,
            );
          }
        }
        assert.ok(
          result.messages.delivered < result.messages.expected,
          'the lost generals values went missing',
        );
        process.stderr.write(
          `# lost ${lost} (generals ${lostIds.join(',')}) ${((lostAt - STARTED) / 1000).toFixed(0)} s in; ` +
            `generals ${others.join(',')} decided; run ${(result.elapsedMs / 1000).toFixed(1)} s, exit ${ran.status}\n`,
        );
      });

      it('brought back, the node rejoins, every general is healthy again and a run agrees', async () => {
        const lab = theLab();
        const stack = theStack();
        assert.notEqual(lost, '', 'a node was lost');
        mustRun(['docker', 'unpause', lab.node(lost).container]);
        const back = Date.now();
        const returned = lost;
        paused.splice(paused.indexOf(lab.node(lost).container), 1);
        if (frozen !== undefined) lab.on(frozen.node, ['unpause', frozen.container]);
        frozen = undefined;
        await pollUntil(
          'every node Ready',
          () => ([...lab.nodeStates().values()].every((state) => state === 'Ready') ? true : undefined),
          { timeoutMs: LIMITS.healthy, everyMs: 2000, seen: () => lab.docker(['node', 'ls']).stdout },
        );
        lost = '';
        await stack.waitSettled(LIMITS.healthy);
        const ran = await stack.runClient(
          `--order ATTACK --t ${T} --wait ${CLIENT_WAIT_MS} --json`,
          LIMITS.run,
        );
        const result = jsonOf(ran);
        assert.equal(ran.status, CLIENT_EXIT.agreement, shown(ran));
        assert.ok(result.ic1 && result.ic2, shown(ran));
        assert.deepEqual(result.messages, {
          expected: omMessages(SMALL, T),
          delivered: omMessages(SMALL, T),
        });
        // Which generals, since the node returned, gave up connections to a moved general's old
        // address or after a deadline of silence (their stdout warns of it).
        const renewed = (why: RegExp) =>
          [...Array(SMALL).keys()].filter((id) => why.test(stack.serviceLogs(id, new Date(back)).stdout));
        process.stderr.write(
          `# ${returned} back: settled and agreed ${((Date.now() - back) / 1000).toFixed(0)} s after it returned; ` +
            `generals per node ${perNode(lab, stack.placement())}; followed a moved peer: ` +
            `[${renewed(/has moved from/)}], gave up a silent connection: [${renewed(/nothing heard for/)}]\n`,
        );
      });
    });

    after(async () => {
      // Room for the large stack: this one's tasks gone from every node.
      if (stack !== undefined && lab !== undefined) await stack.remove(LIMITS.removed);
    });
  });

  describe(`${LARGE} generals over the same nodes, OM(${T})`, () => {
    let stack: SwarmStack | undefined;

    before(
      async () => {
        const dir = join(workDir, 'large');
        generateStack(dir, LARGE, image);
        stack = new SwarmStack(theLab(), 'big', dir, LARGE);
        stack.deploy();
        await stack.waitHealthy(LIMITS.healthy + 3 * MINUTE);
        stack.pinClient(theLab().managerHostname);
      },
      { timeout: LIMITS.healthy + 5 * MINUTE },
    );

    it(`spreads ${LARGE} generals over all ${NODES} nodes and agrees on ATTACK: exit 0, IC1, IC2, every message`, async () => {
      assert.ok(stack !== undefined);
      const lab = theLab();
      const placement = stack.placement();
      assert.equal(placement.size, LARGE, 'every general runs');
      const counts = lab.nodes.map(
        ({ hostname }) => [...placement.values()].filter((n) => n === hostname).length,
      );
      assert.ok(
        counts.every((count) => count > 0 && count < LARGE),
        `every node holds some, none all: ${perNode(lab, placement)}`,
      );
      const ran = await stack.runClient(
        `--order ATTACK --t ${T} --wait ${CLIENT_WAIT_MS} --round-timeout ${LARGE_RUN_ROUND_MS} --json`,
        LIMITS.run,
      );
      const result = jsonOf(ran);
      assert.equal(ran.status, CLIENT_EXIT.agreement, shown(ran));
      assert.equal(result.ic1, true);
      assert.equal(result.ic2, true);
      const loyal = result.generals.filter(
        (g) => g.id !== 0 && !(TRAITORS as readonly number[]).includes(g.id),
      );
      assert.equal(loyal.length, LARGE - 1 - TRAITORS.length);
      for (const g of loyal) assert.equal(g.decision, 'ATTACK', `general ${g.id}`);
      const all = omMessages(LARGE, T);
      assert.equal(all, 30 + 30 * 29 + 30 * 29 * 28 + 30 * 29 * 28 * 27);
      assert.deepEqual(result.messages, { expected: all, delivered: all });
      summary =
        `swarm: ${NODES} nodes, generals per node ${perNode(lab, placement)}; OM(${T}) with ${LARGE} generals, ` +
        `traitors ${TRAITORS.join(',')}: IC1, IC2, ATTACK, ${all.toLocaleString('en-US')} of ` +
        `${all.toLocaleString('en-US')} messages, exit ${ran.status}; run ${(result.elapsedMs / 1000).toFixed(1)} s`;
    });
  });
});
