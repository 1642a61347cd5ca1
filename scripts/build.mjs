// Compiles src/ and generate-compose.ts to dist/ with esbuild: type-stripping only, in well under a
// second, so `npm start`, `npm test` and the bench always run what is in src/. Type checking is
// `npm run typecheck` (tsc), which CI runs too.
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = readdirSync(join(root, 'src'), { recursive: true })
  .filter((file) => String(file).endsWith('.ts'))
  .map((file) => join(root, 'src', String(file)));
// Whatever was compiled from a source that is gone must go too.
rmSync(join(root, 'dist'), { recursive: true, force: true });
await build({
  entryPoints: [...sources, join(root, 'generate-compose.ts')],
  outdir: join(root, 'dist'),
  outbase: root,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
});
