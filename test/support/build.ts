/**
 * The process tests run the compiled CLI, as users and containers do. `npm test` builds it first;
 * a test file run on its own rebuilds it here when any source is newer than the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function newestSource(): number {
  let newest = 0;
  for (const file of readdirSync(join(ROOT, 'src'), { recursive: true })) {
    if (String(file).endsWith('.ts'))
      newest = Math.max(newest, statSync(join(ROOT, 'src', String(file))).mtimeMs);
  }
  return newest;
}

export function compiledCli(): string {
  const cli = join(ROOT, 'dist', 'src', 'cli.js');
  if (!existsSync(cli) || statSync(cli).mtimeMs < newestSource()) {
    const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
    if (built.status !== 0) throw new Error(`the build failed (status ${built.status}): run npm run build`);
  }
  return cli;
}
