/**
 * The swarm lab (../shared/swarm-lab/swarm-lab.sh): several Docker engines, each in a container of
 * its own with its own address, a private registry, and one swarm across them. This wraps its three
 * commands and runs docker commands on a node (`docker exec <node> docker ...`).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { CommandError, describeRun, MINUTE, mustRun, type Ran, ROOT, run } from '../support/commands.js';

export const LAB_SCRIPT = join(ROOT, '..', 'shared', 'swarm-lab', 'swarm-lab.sh');

/** The lab could not start: the test fails (it never skips), saying why. */
export class LabUnavailableError extends Error {
  override readonly name = 'LabUnavailableError';
}

export interface LabNode {
  /** The container that is this node's engine: `docker pause` it to lose the machine. */
  readonly container: string;
  /** The node's host name, as `docker node ls` and `docker service ps` name it. */
  readonly hostname: string;
}

export class SwarmLab {
  private constructor(
    readonly manager: string,
    readonly nodes: readonly LabNode[],
  ) {}

  /** Brings the lab up with `count` engines (idempotent), or throws LabUnavailableError. */
  static up(count: number): SwarmLab {
    if (!existsSync(LAB_SCRIPT)) {
      throw new LabUnavailableError(
        `${LAB_SCRIPT} is missing: the swarm lab lives in shared/ beside the repository`,
      );
    }
    const up = run(['bash', LAB_SCRIPT, 'up', `${count}`], { timeoutMs: 10 * MINUTE });
    if (up.status !== 0)
      throw new LabUnavailableError(
        `the swarm lab did not start:\n${describeRun(['swarm-lab.sh', 'up'], up)}`,
      );
    // Its stdout is shell assignments: SWARM_MANAGER=..., SWARM_NODES="...".
    const values = new Map<string, string>();
    for (const line of up.stdout.split('\n')) {
      const match = /^(\w+)="?([^"]*)"?$/.exec(line.trim());
      if (match?.[1] !== undefined) values.set(match[1], match[2] ?? '');
    }
    const manager = values.get('SWARM_MANAGER');
    const containers =
      values
        .get('SWARM_NODES')
        ?.split(/\s+/)
        .filter((name) => name !== '') ?? [];
    if (manager === undefined || containers.length !== count) {
      throw new LabUnavailableError(`the swarm lab printed no manager or not ${count} nodes:\n${up.stdout}`);
    }
    const nodes = containers.map((container) => ({
      container,
      hostname: mustRun([
        'docker',
        'exec',
        container,
        'docker',
        'info',
        '--format',
        '{{.Name}}',
      ]).stdout.trim(),
    }));
    return new SwarmLab(manager, nodes);
  }

  /** Copies a host image into the lab's registry; returns its name there, which every node can pull. */
  push(image: string): string {
    const pushed = mustRun(['bash', LAB_SCRIPT, 'push', image], { timeoutMs: 10 * MINUTE });
    const name = pushed.stdout.trim().split('\n').pop() ?? '';
    if (name === '') throw new CommandError(`swarm-lab.sh push ${image} printed no name`);
    return name;
  }

  /** `docker ...` on the manager. */
  docker(args: readonly string[], timeoutMs?: number): Ran {
    return run(['docker', 'exec', this.manager, 'docker', ...args], { timeoutMs });
  }

  mustDocker(args: readonly string[], timeoutMs?: number): Ran {
    return mustRun(['docker', 'exec', this.manager, 'docker', ...args], { timeoutMs });
  }

  /** `docker ...` on the node with this host name. */
  on(hostname: string, args: readonly string[], timeoutMs?: number): Ran {
    return run(['docker', 'exec', this.node(hostname).container, 'docker', ...args], { timeoutMs });
  }

  node(hostname: string): LabNode {
    const node = this.nodes.find((n) => n.hostname === hostname);
    if (node === undefined)
      throw new CommandError(`no lab node ${hostname}: ${this.nodes.map((n) => n.hostname).join(', ')}`);
    return node;
  }

  get managerHostname(): string {
    return this.nodes.find((n) => n.container === this.manager)?.hostname ?? '';
  }

  /** The swarm's view of each node: host name -> Ready/Down. */
  nodeStates(): Map<string, string> {
    const listed = this.docker(['node', 'ls', '--format', '{{.Hostname}} {{.Status}}']);
    return new Map(
      listed.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' ') as [string, string]),
    );
  }

  /** Leaves the swarm and removes every node, the registry and their volumes (also after a failed `up`). */
  static down(): Ran {
    return run(['bash', LAB_SCRIPT, 'down'], { timeoutMs: 5 * MINUTE });
  }
}
