import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { chromiumEnv, chromiumPackage, unpackedChromium } from './packaged-chromium.js';
import { cleanEnv, ROOT } from './support.js';

const run = promisify(execFile);
const TSX = import.meta.resolve('tsx');
const BROWSER = pathToFileURL(join(ROOT, 'test', 'report', 'browser.ts')).href;

/** Launches the report tests' browser in a fresh process with `env` (as a user would set it). */
async function launchWith(env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  const script = `import { launchChromium } from ${JSON.stringify(BROWSER)};
const browser = await launchChromium();
process.stdout.write(browser.version());
await browser.close();`;
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ['--import', TSX, '--input-type=module', '-e', script],
      { cwd: ROOT, env: { ...cleanEnv(), ...env } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: unknown; stdout?: string; stderr?: string };
    return {
      code: typeof failed.code === 'number' ? failed.code : -1,
      stdout: failed.stdout ?? '',
      stderr: failed.stderr ?? '',
    };
  }
}

describe("the report tests' browser", () => {
  it('is the Chromium inside @sparticuz/chromium when CHROMIUM_PATH is not set', async () => {
    const { version } = chromiumPackage();
    const launched = await launchWith({ CHROMIUM_PATH: '' });
    assert.equal(launched.code, 0, launched.stderr);
    // The package's major version is the Chromium major it ships.
    assert.equal(launched.stdout.split('.')[0], version.split('.')[0]);
  });

  it('fails, naming the path and what to do, when CHROMIUM_PATH names no file', async () => {
    const launched = await launchWith({ CHROMIUM_PATH: '/nonexistent/chromium' });
    assert.notEqual(launched.code, 0);
    assert.match(
      launched.stderr,
      /ChromiumMissingError: CHROMIUM_PATH is \/nonexistent\/chromium, which is not an/,
    );
    assert.match(launched.stderr, /unset it to use the Chromium inside @sparticuz\/chromium/);
  });

  it('fails, saying it did not start, when CHROMIUM_PATH names a program that is not a browser', async () => {
    const launched = await launchWith({ CHROMIUM_PATH: '/bin/false' });
    assert.notEqual(launched.code, 0);
    assert.match(
      launched.stderr,
      /ChromiumStartError: the Chromium at \/bin\/false \(CHROMIUM_PATH\) did not start/,
    );
    assert.match(launched.stderr, /point CHROMIUM_PATH to a browser that starts here/);
  });
});

describe("unpacking the package's Chromium", () => {
  it('unpacks once into its own directory when two launches race, ignoring a chromium in the temp directory', async () => {
    const root = mkdtempSync(join(tmpdir(), 'byz-unpack-'));
    // A shared temp directory where someone left a `chromium`: the package alone would run it.
    const sharedTmp = join(root, 'tmp');
    mkdirSync(sharedTmp);
    writeFileSync(join(sharedTmp, 'chromium'), '#!/bin/sh\necho planted\n', { mode: 0o755 });
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = sharedTmp;
    try {
      const pkg = { ...chromiumPackage(), dir: join(root, 'cache', 'unpacked') };
      // Both calls find nothing unpacked yet, so both unpack and race to rename into place.
      const [first, second] = await Promise.all([unpackedChromium(pkg), unpackedChromium(pkg)]);
      assert.equal(first, join(pkg.dir, 'chromium'));
      assert.equal(second, first);
      assert.deepEqual(readdirSync(join(root, 'cache')), ['unpacked'], 'the losing copy is removed');
      const { stdout } = await run(first, ['--version'], { env: await chromiumEnv(first) });
      assert.match(stdout, new RegExp(`^Chromium ${pkg.version.split('.')[0]}\\.`));
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('says where and why when it cannot unpack', async () => {
    const root = mkdtempSync(join(tmpdir(), 'byz-unpack-'));
    try {
      const file = join(root, 'a-file');
      writeFileSync(file, '');
      const pkg = { ...chromiumPackage(), dir: join(file, 'cache', 'unpacked') };
      await assert.rejects(unpackedChromium(pkg), {
        name: 'ChromiumPackageError',
        message: `could not unpack @sparticuz/chromium's browser into ${join(file, 'cache')}: ENOTDIR: not a directory, mkdir '${join(file, 'cache')}'`,
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
