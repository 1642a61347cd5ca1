import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * The Chromium that the dev dependency @sparticuz/chromium ships inside its npm package (brotli
 * compressed: no download at install or run time), unpacked once per package version into
 * node_modules/.cache/sparticuz-chromium/<version>/, beside the package.
 */
export const CHROMIUM_PACKAGE = '@sparticuz/chromium';

export class ChromiumPackageError extends Error {
  override readonly name = 'ChromiumPackageError';
}

export interface ChromiumPackage {
  /** The package's entry point, as a file URL. */
  readonly entry: string;
  readonly version: string;
  /** Where its browser is (or will be) unpacked. */
  readonly dir: string;
}

/** The installed package, found the way `import` finds it. */
export function chromiumPackage(): ChromiumPackage {
  let entry: string;
  try {
    entry = import.meta.resolve(CHROMIUM_PACKAGE);
  } catch (error) {
    throw new ChromiumPackageError(`${CHROMIUM_PACKAGE} is not installed`, { cause: error });
  }
  // Its manifest is not exported (`exports` names only its entry): walk up from the entry to it.
  let dir = dirname(fileURLToPath(entry));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      const { name, version } = JSON.parse(readFileSync(manifest, 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (name === CHROMIUM_PACKAGE && typeof version === 'string') {
        return { entry, version, dir: join(dir, '..', '..', '.cache', 'sparticuz-chromium', version) };
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new ChromiumPackageError(`no package.json of ${CHROMIUM_PACKAGE} above ${entry}`);
    dir = up;
  }
}

/**
 * The package's `executablePath()` unpacks into `os.tmpdir()` (the binary at <tmp>/chromium, its
 * GL libraries and fonts beside it) and trusts whatever is already there. So it runs in a child
 * whose TMPDIR is a fresh directory of ours, never a shared /tmp, and prints where the binary went.
 * The child says it runs on Amazon Linux 2023 (AWS_EXECUTION_ENV), the package's switch for also
 * unpacking the NSS, NSPR and expat libraries it ships (into <tmp>/al2023/lib), which
 * `chromiumEnv` falls back on.
 */
const UNPACK = `const { default: packaged } = await import(process.argv[1]);
process.stdout.write(await packaged.executablePath());`;

const run = promisify(execFile);

/**
 * The unpacked browser's path, unpacking it on first use (about 2 s). Several processes may do
 * this at once (test files run in parallel): each unpacks into a directory of its own and renames
 * it into place; the first rename wins and the others drop their copy, so nobody ever runs a
 * half-written binary.
 */
export async function unpackedChromium(pkg: ChromiumPackage): Promise<string> {
  const executable = join(pkg.dir, 'chromium');
  if (existsSync(executable)) return executable;
  const parent = dirname(pkg.dir);
  let staging: string | undefined;
  try {
    mkdirSync(parent, { recursive: true });
    staging = mkdtempSync(join(parent, `${basename(pkg.dir)}.unpacking-`));
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', UNPACK, pkg.entry], {
      env: { ...process.env, TMPDIR: staging, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs20.x' },
      timeout: 120_000,
    });
    if (stdout !== join(staging, 'chromium')) {
      throw new ChromiumPackageError(
        `${CHROMIUM_PACKAGE} unpacked its browser to ${stdout}, not into ${staging}`,
      );
    }
    writeFileSync(join(staging, FONTS_CONF), fontsConf(pkg.dir));
    try {
      renameSync(staging, pkg.dir);
    } catch (error) {
      // Another process renamed its complete copy into place first: use that one.
      if (!existsSync(executable)) throw error;
    }
    return executable;
  } catch (error) {
    throw new ChromiumPackageError(
      `could not unpack ${CHROMIUM_PACKAGE}'s browser into ${parent}: ${reason(error)}`,
      { cause: error },
    );
  } finally {
    if (staging !== undefined) rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The Chromium in the package links fontconfig in, and a system with no fontconfig configuration
 * (a minimal Debian image has none) gives it no fonts at all: text has no width, so Playwright
 * never finds it visible. Its own fonts.conf (in the unpacked directory; written before the rename,
 * with the final paths) reads the system's configuration when there is one, plus the Open Sans
 * the package ships.
 */
const FONTS_CONF = 'fonts.conf';

function fontsConf(dir: string): string {
  const xml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
  return `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${xml(join(dir, 'fonts'))}</dir>
  <cachedir>${xml(join(dir, 'fonts-cache'))}</cachedir>
</fontconfig>
`;
}

/**
 * The environment to run the unpacked browser in: its fonts.conf, and the system's NSS, NSPR and
 * expat when the system has them (Debian: libnss3, libnspr4, libexpat1, optional packages that a
 * minimal image lacks), else the copies the package ships, built for glibc 2.34 and later.
 */
export async function chromiumEnv(executable: string): Promise<Record<string, string>> {
  const env: Record<string, string> = {
    ...definedOnly(process.env),
    FONTCONFIG_FILE: join(dirname(executable), FONTS_CONF),
  };
  try {
    await run(executable, ['--version'], { env, timeout: 10_000 });
    return env;
  } catch (error) {
    // Anything else is the launch's to report, with the browser's own words.
    if (!/error while loading shared libraries/.test(reason(error))) return env;
    const bundled = join(dirname(executable), 'al2023', 'lib');
    return { ...env, LD_LIBRARY_PATH: [bundled, env.LD_LIBRARY_PATH].filter((dir) => dir).join(':') };
  }
}

function definedOnly(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The line that says what went wrong: from the child's stderr when it failed, else the message. */
function reason(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const stderr = (error as { stderr?: unknown }).stderr;
  const lines =
    typeof stderr === 'string' && stderr.trim() !== '' ? stderr.split('\n') : error.message.split('\n');
  return (lines.find((line) => /^[A-Za-z]*Error\b|error while loading/.test(line)) ?? lines[0] ?? '').trim();
}
