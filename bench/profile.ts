import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the processes of a case spent their busy time, from the V8 CPU profiles that
 * `node --cpu-prof` writes at exit: self time by package (an npm package, Node's own modules, a
 * file of this project, or V8's (program) and (garbage collector)), counted from a moment on so
 * that start-up stays out of the steady state.
 */

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
}

/** The parts of a .cpuprofile this reads. */
export interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  /** Microseconds, on the monotonic clock that process.hrtime reads. */
  readonly startTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface Share {
  readonly name: string;
  readonly percent: number;
}

export interface ProfileSummary {
  /** Busy (not idle) sampled time after the mark, all processes together, in ms. */
  readonly busyMs: number;
  readonly packages: readonly Share[];
  readonly functions: readonly Share[];
}

/** The package a frame's code belongs to. */
export function packageOf(frame: CallFrame): string {
  const { url, functionName } = frame;
  if (url === '') return functionName.startsWith('(') ? functionName : 'native';
  if (url.startsWith('node:')) return 'node:* (built-in modules)';
  const modules = url.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = url.slice(modules + 'node_modules/'.length).split('/');
    return (parts[0]?.startsWith('@') ? parts.slice(0, 2) : parts.slice(0, 1)).join('/');
  }
  // This project's own code, compiled (dist/src/...) or run from source (src/...).
  const own = /\/(?:dist\/)?((?:src|bench)\/.+?)\.[cm]?[jt]s$/.exec(url)?.[1];
  return own ?? url;
}

const top = (totals: Map<string, number>, busy: number, count: number): Share[] =>
  [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => ({ name, percent: (100 * us) / busy }));

/** Self time by package and by function over every profile, from `fromUs` on. */
export function summarize(profiles: readonly CpuProfile[], fromUs: number, count = 15): ProfileSummary {
  const packages = new Map<string, number>();
  const functions = new Map<string, number>();
  let busy = 0;
  for (const profile of profiles) {
    const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    let at = profile.startTime;
    profile.samples.forEach((id, i) => {
      const delta = profile.timeDeltas[i] ?? 0;
      at += delta;
      const frame = frames.get(id);
      if (at < fromUs || frame === undefined || frame.functionName === '(idle)') return;
      const name = packageOf(frame);
      busy += delta;
      packages.set(name, (packages.get(name) ?? 0) + delta);
      const fn = frame.functionName === name ? name : `${frame.functionName || '(anonymous)'} in ${name}`;
      functions.set(fn, (functions.get(fn) ?? 0) + delta);
    });
  }
  return {
    busyMs: busy / 1000,
    packages: top(packages, busy, count),
    functions: top(functions, busy, count),
  };
}

/** Every .cpuprofile in `dir` (none when the directory does not exist). */
export function readProfiles(dir: string): CpuProfile[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((file) => file.endsWith('.cpuprofile'))
    .map((file) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile);
}

/**
 * The profiles in `dir` summarized from `fromUs` on; the mark is kept beside them (steady-from-us)
 * so that the same profiles can be summarized again, or opened in DevTools, later.
 */
export function summarizeDir(dir: string, fromUs: number): ProfileSummary {
  if (existsSync(dir)) writeFileSync(join(dir, 'steady-from-us'), `${fromUs}\n`);
  return summarize(readProfiles(dir), fromUs);
}

/** Node options that make a child write its profile into `dir` when it exits. */
export const profileArgs = (dir: string): string[] => ['--cpu-prof', `--cpu-prof-dir=${dir}`];

/** Now, on the clock of the profiles' timestamps. */
export const profileClockUs = (): number => Number(process.hrtime.bigint() / 1000n);
