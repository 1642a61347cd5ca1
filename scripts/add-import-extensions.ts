// proto-loader-gen-types writes extensionless relative imports; NodeNext ESM needs `.js` on them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

function visit(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) visit(path);
    else if (entry.name.endsWith('.ts')) {
      const text = readFileSync(path, 'utf8');
      writeFileSync(path, text.replace(/(from '\.{1,2}\/[^']+?)(?<!\.js)';/g, "$1.js';"));
    }
  }
}

const dir = process.argv[2];
if (dir === undefined) {
  console.error('usage: tsx scripts/add-import-extensions.ts DIR');
  process.exit(2);
}
visit(dir);
