/**
 * One stack of generals on the swarm lab, driven as docs/scale-out.md tells a user to: the files
 * copied to a manager, `docker stack deploy`, the client service run once per run, its verdict from
 * `docker service logs` and its task's exit code, the log files from each node's volume.
 */
import { mkdirSync } from 'node:fs';
import {
  CommandError,
  describeRun,
  MINUTE,
  mustRun,
  mustRunBytes,
  pollUntil,
  type Ran,
} from '../support/commands.js';
import type { SwarmLab } from './lab.js';

/** A task's states from which it never moves on. */
const FINAL_STATES = new Set(['complete', 'failed', 'rejected', 'shutdown', 'orphaned', 'remove']);

export interface ClientRun {
  /** The client's exit status, as its task reports it. */
  readonly status: number;
  /** What the client printed (`docker service logs --raw <task>`). */
  readonly output: string;
  /** The node its task ran on. */
  readonly node: string;
  readonly task: string;
}

export class SwarmStack {
  private clientPinned = false;

  constructor(
    private readonly lab: SwarmLab,
    readonly name: string,
    /** A host directory holding stack.yaml and keys/, from generate-compose.ts --swarm. */
    private readonly dir: string,
    readonly generals: number,
  ) {}

  service(what: number | 'client'): string {
    return what === 'client' ? `${this.name}_client` : `${this.name}_general-${what}`;
  }

  /** Copies the stack file and its keys to the manager (stack deploy reads them there) and deploys. */
  deploy(): Ran {
    const target = `/stacks/${this.name}`;
    mustRun(['docker', 'exec', this.lab.manager, 'sh', '-c', `rm -rf ${target} && mkdir -p /stacks`]);
    mustRun(['docker', 'cp', this.dir, `${this.lab.manager}:${target}`]);
    return mustRun(
      [
        'docker',
        'exec',
        '-w',
        target,
        this.lab.manager,
        'docker',
        'stack',
        'deploy',
        '-c',
        'stack.yaml',
        this.name,
      ],
      { timeoutMs: 5 * MINUTE },
    );
  }

  private replicas(): Map<string, string> {
    const listed = this.lab.mustDocker([
      'service',
      'ls',
      '--filter',
      `label=com.docker.stack.namespace=${this.name}`,
      '--format',
      '{{.Name}} {{.Replicas}}',
    ]);
    return new Map(
      listed.stdout
        .trim()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split(' ') as [string, string]),
    );
  }

  /**
   * Until every general's service runs its one task. A task with a health check counts as running
   * only once the check passed: this waits for every general to be healthy.
   */
  async waitHealthy(timeoutMs: number): Promise<void> {
    let seen = new Map<string, string>();
    await pollUntil(
      `every general of ${this.name} healthy`,
      () => {
        seen = this.replicas();
        const ready = Array.from({ length: this.generals }, (_, id) => seen.get(this.service(id)) === '1/1');
        return ready.every(Boolean) ? true : undefined;
      },
      {
        timeoutMs,
        everyMs: 2000,
        seen: () =>
          `${[...seen].map(([name, replicas]) => `${name} ${replicas}`).join('\n')}\n${this.tasksText()}`,
      },
    );
  }

  tasksText(): string {
    const ps = this.lab.docker([
      'stack',
      'ps',
      this.name,
      '--no-trunc',
      '--format',
      '{{.Name}} {{.Node}} {{.DesiredState}} {{.CurrentState}} {{.Error}}',
    ]);
    return `${ps.stdout}${ps.stderr}`;
  }

  /**
   * Until the swarm has settled after a lost node came back: every general healthy, and every node
   * runs exactly the generals the swarm places there (the tasks moved away from the lost node have
   * stopped there, so their old addresses are gone).
   */
  async waitSettled(timeoutMs: number): Promise<void> {
    await this.waitHealthy(timeoutMs);
    let seen = '';
    await pollUntil(
      `the generals of ${this.name} running only where the swarm places them`,
      () => {
        const placement = this.placement();
        seen = '';
        for (const { hostname } of this.lab.nodes) {
          const running = this.lab
            .on(hostname, ['ps', '-q', '--filter', `label=com.docker.stack.namespace=${this.name}`])
            .stdout.trim()
            .split('\n')
            .filter((id) => id !== '').length;
          const placed = [...placement.values()].filter((node) => node === hostname).length;
          seen += `${hostname}: ${running} running, ${placed} placed\n`;
          if (running !== placed) return undefined;
        }
        return true;
      },
      { timeoutMs, everyMs: 2000, seen: () => seen },
    );
  }

  /** Which node runs each general's running task: general id -> node host name. */
  placement(): Map<number, string> {
    const ps = this.lab.mustDocker([
      'stack',
      'ps',
      this.name,
      '--filter',
      'desired-state=running',
      '--format',
      '{{.Name}} {{.Node}} {{.CurrentState}}',
    ]);
    const placed = new Map<number, string>();
    for (const line of ps.stdout.trim().split('\n')) {
      const match = new RegExp(`^${this.name}_general-(\\d+)\\.\\d+ (\\S+) Running`).exec(line);
      if (match?.[1] !== undefined && match[2] !== undefined) placed.set(Number(match[1]), match[2]);
    }
    return placed;
  }

  /** The container (on its node) of general `id`'s running task. */
  containerOf(id: number): { node: string; container: string } {
    const task = this.lab
      .mustDocker([
        'service',
        'ps',
        this.service(id),
        '--filter',
        'desired-state=running',
        '-q',
        '--no-trunc',
      ])
      .stdout.trim()
      .split('\n')[0];
    if (task === undefined || task === '') throw new CommandError(`general ${id} has no running task`);
    const [container = '', nodeId = ''] = this.lab
      .mustDocker(['inspect', '--format', '{{.Status.ContainerStatus.ContainerID}} {{.NodeID}}', task])
      .stdout.trim()
      .split(' ');
    const node = this.lab
      .mustDocker(['node', 'inspect', '--format', '{{.Description.Hostname}}', nodeId])
      .stdout.trim();
    return { node, container };
  }

  /** Runs the client service's task on this node for every later run, so that losing another node never loses the client. */
  pinClient(hostname: string): void {
    this.lab.mustDocker([
      'service',
      'update',
      '--detach',
      '--constraint-add',
      `node.hostname==${hostname}`,
      this.service('client'),
    ]);
    this.clientPinned = true;
  }

  private clientTasks(): string[] {
    return this.lab
      .mustDocker(['service', 'ps', this.service('client'), '-q', '--no-trunc'])
      .stdout.trim()
      .split('\n')
      .filter((id) => id !== '');
  }

  /**
   * Starts one run: the client service's next task, with the stack's own command (`args` undefined:
   * what `docker service scale <stack>_client=1` runs) or with `args` in place of its flags.
   * Returns the task's id once the swarm has created it.
   */
  async startClient(args: string | undefined): Promise<string> {
    if (!this.clientPinned)
      throw new CommandError('pinClient first: the run must not be on a node the test loses');
    const before = new Set(this.clientTasks());
    const update = ['service', 'update', '--detach', '--replicas', '1', '--force'];
    if (args !== undefined) update.push('--args', args);
    this.lab.mustDocker([...update, this.service('client')]);
    return pollUntil('a new client task', () => this.clientTasks().find((id) => !before.has(id)), {
      timeoutMs: MINUTE,
      everyMs: 500,
    });
  }

  /** Waits for a client task to end; returns its exit status and what it printed. */
  async finishClient(task: string, timeoutMs: number): Promise<ClientRun> {
    let state = '';
    const { code, nodeId } = await pollUntil(
      `client task ${task} to end`,
      () => {
        state = this.lab
          .mustDocker(['inspect', '--format', '{{.NodeID}} {{json .Status}}', task])
          .stdout.trim();
        const [nodeId = '', ...json] = state.split(' ');
        const status = JSON.parse(json.join(' ')) as {
          State: string;
          ContainerStatus?: { ExitCode?: number };
        };
        return FINAL_STATES.has(status.State)
          ? { code: status.ContainerStatus?.ExitCode, nodeId }
          : undefined;
      },
      { timeoutMs, everyMs: 500, seen: () => `${state}\n${this.tasksText()}` },
    );
    const node = this.lab
      .mustDocker(['node', 'inspect', '--format', '{{.Description.Hostname}}', nodeId])
      .stdout.trim();
    // The task's output, through the manager, from the node that ran it.
    let logs: Ran | undefined;
    const output = await pollUntil(
      `the output of client task ${task}`,
      () => {
        logs = this.lab.docker(['service', 'logs', '--raw', task]);
        return logs.status === 0 && logs.stdout.trim() !== '' ? logs.stdout : undefined;
      },
      {
        timeoutMs: MINUTE,
        everyMs: 1000,
        seen: () => (logs ? describeRun(['service', 'logs', task], logs) : ''),
      },
    );
    return { status: code ?? -1, output, node, task };
  }

  async runClient(args: string | undefined, timeoutMs: number): Promise<ClientRun> {
    return this.finishClient(await this.startClient(args), timeoutMs);
  }

  /** What general `id` printed, through the manager: `docker service logs --raw`. */
  serviceLogs(id: number, since?: Date): Ran {
    const from = since === undefined ? [] : ['--since', since.toISOString()];
    return this.lab.docker(['service', 'logs', '--raw', ...from, this.service(id)]);
  }

  /**
   * Copies the log files from the stack's volume on every node into `into`, as docs/scale-out.md
   * says: a one-off container of the image on each node, tar to stdout. Returns each node's files.
   */
  gatherLogFiles(image: string, into: string): Map<string, string[]> {
    mkdirSync(into, { recursive: true });
    const found = new Map<string, string[]>();
    for (const { hostname, container } of this.lab.nodes) {
      const tar = mustRunBytes([
        'docker',
        'exec',
        container,
        'docker',
        'run',
        '--rm',
        '-v',
        `${this.name}_logs:/logs:ro`,
        '--entrypoint',
        'tar',
        image,
        '-C',
        '/logs',
        '-c',
        '.',
      ]);
      const listed = mustRun(['tar', '-t'], { input: tar }).stdout;
      found.set(
        hostname,
        listed
          .split('\n')
          .map((name) => name.replace(/^\.\//, ''))
          .filter((name) => name !== '' && name !== '.'),
      );
      mustRun(['tar', '-x', '-C', into], { input: tar });
    }
    return found;
  }

  /** `docker stack rm`, then waits until no node holds a container of it and its network is gone. */
  async remove(timeoutMs: number): Promise<void> {
    this.lab.docker(['stack', 'rm', this.name]);
    await pollUntil(
      `stack ${this.name} gone from every node`,
      () => {
        for (const { container } of this.lab.nodes) {
          const left = mustRun([
            'docker',
            'exec',
            container,
            'docker',
            'ps',
            '-aq',
            '--filter',
            `label=com.docker.stack.namespace=${this.name}`,
          ]).stdout.trim();
          if (left !== '') return undefined;
        }
        const networks = this.lab.mustDocker([
          'network',
          'ls',
          '-q',
          '--filter',
          `label=com.docker.stack.namespace=${this.name}`,
        ]);
        return networks.stdout.trim() === '' ? true : undefined;
      },
      { timeoutMs, everyMs: 2000, seen: () => this.tasksText() },
    );
  }
}
