import { type Path, pathKey, pathsOfLength } from '../paths.js';

/**
 * Every EIG path one lieutenant holds a value for, numbered once, with the index lists a run needs:
 * where each value of an incoming batch is stored, which stored values go into an outgoing batch,
 * and each node's children for the decision. Built once per (n, t, lieutenant) and shared by runs.
 */
export class PathTable {
  /** All held paths; index 0 is the commander's own path (0). */
  readonly paths: Path[] = [];
  /** Index ranges per path length: level[L] = [start, end). */
  private readonly levels: Array<readonly [number, number]> = [];
  private readonly incoming = new Map<string, Int32Array>();
  private readonly outgoing = new Map<string, Int32Array>();
  private readonly relayed = new Map<string, readonly Path[]>();
  private readonly lookups = new Map<number, Map<string, number>>();
  private childLists: Int32Array[] | undefined;

  constructor(
    readonly n: number,
    readonly t: number,
    readonly self: number,
  ) {
    const excluded = new Set([self]);
    for (let length = 1; length <= t + 1; length++) {
      const start = this.paths.length;
      // One at a time: a level can hold more paths than a call takes arguments (240,240 at n=16, t=5).
      for (const path of pathsOfLength(n, length, excluded)) this.paths.push(path);
      this.levels[length] = [start, this.paths.length];
    }
  }

  get size(): number {
    return this.paths.length;
  }

  path(index: number): Path {
    return this.paths[index] ?? [];
  }

  /** Storage index of each value in a batch from `sender` in `round`, in batch order. */
  incomingIndices(round: number, sender: number): Int32Array {
    const key = `${round}:${sender}`;
    let indices = this.incoming.get(key);
    if (indices === undefined) {
      const lookup = this.lookup(round + 1);
      const prefixes = round === 0 ? [[] as number[]] : this.level(round).filter((p) => !p.includes(sender));
      indices = Int32Array.from(prefixes, (prefix) => lookup.get(pathKey([...prefix, sender])) ?? -1);
      this.incoming.set(key, indices);
    }
    return indices;
  }

  /** Storage index of each value this lieutenant relays to `receiver` in `round`, in batch order. */
  outgoingIndices(round: number, receiver: number): Int32Array {
    const key = `${round}:${receiver}`;
    let indices = this.outgoing.get(key);
    if (indices === undefined) {
      const [start] = this.range(round);
      const picked: number[] = [];
      this.level(round).forEach((p, offset) => {
        if (!p.includes(receiver)) picked.push(start + offset);
      });
      indices = Int32Array.from(picked);
      this.outgoing.set(key, indices);
    }
    return indices;
  }

  /**
   * The paths under which `receiver` holds what this lieutenant relays to it in `round`: each
   * relayed path extended by this lieutenant. The same arrays every run, so that a log writes each
   * once.
   */
  relayedPaths(round: number, receiver: number): readonly Path[] {
    const key = `${round}:${receiver}`;
    let paths = this.relayed.get(key);
    if (paths === undefined) {
      paths = Array.from(this.outgoingIndices(round, receiver), (index) => [...this.path(index), this.self]);
      this.relayed.set(key, paths);
    }
    return paths;
  }

  /** Children of each node: the path extended by each lieutenant not on it and not this one. */
  children(index: number): Int32Array {
    if (this.childLists === undefined) this.childLists = this.buildChildren();
    return this.childLists[index] ?? new Int32Array(0);
  }

  private buildChildren(): Int32Array[] {
    return this.paths.map((p) => {
      if (p.length === this.t + 1) return new Int32Array(0);
      const lookup = this.lookup(p.length + 1);
      const out: number[] = [];
      for (let j = 1; j < this.n; j++) {
        if (j === this.self || p.includes(j)) continue;
        const child = lookup.get(pathKey([...p, j]));
        if (child !== undefined) out.push(child);
      }
      return Int32Array.from(out);
    });
  }

  private range(length: number): readonly [number, number] {
    return this.levels[length] ?? [0, 0];
  }

  private level(length: number): Path[] {
    const [start, end] = this.range(length);
    return this.paths.slice(start, end);
  }

  private lookup(length: number): Map<string, number> {
    let map = this.lookups.get(length);
    if (map === undefined) {
      const [start, end] = this.range(length);
      map = new Map<string, number>();
      for (let i = start; i < end; i++) map.set(pathKey(this.path(i)), i);
      this.lookups.set(length, map);
    }
    return map;
  }
}

const tables = new Map<string, PathTable>();

/** The shared table for (n, t, lieutenant); tables for recent shapes stay cached. */
export function pathTable(n: number, t: number, self: number): PathTable {
  const key = `${n}:${t}:${self}`;
  let table = tables.get(key);
  if (table === undefined) {
    if (tables.size >= 256) tables.clear();
    table = new PathTable(n, t, self);
    tables.set(key, table);
  }
  return table;
}
