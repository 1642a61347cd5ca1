/**
 * Python with Debian's gRPC (python3-grpcio, python3-grpc-tools), for the tests of the Python client
 * and of what reflection serves. Debian installs them for /usr/bin/python3, which is not always the
 * python3 that comes first on PATH (a pyenv or a virtualenv may). Without them the tests fail, and
 * say what to install; `.ci/run` installs them when they are missing.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cleanEnv, ROOT } from './process.js';

export const PYTHON = '/usr/bin/python3';
const PACKAGES = 'python3-grpcio python3-grpc-tools';

/** Throws, saying what to install, unless PYTHON can import grpc and grpc_tools. */
export function requirePythonGrpc(): void {
  const probe = spawnSync(PYTHON, ['-c', 'import grpc, grpc_tools.protoc, google.protobuf'], {
    encoding: 'utf8',
  });
  if (probe.error === undefined && probe.status === 0) return;
  const why = probe.error?.message ?? probe.stderr.trim().split('\n').at(-1) ?? `exit status ${probe.status}`;
  throw new Error(
    `these tests need Debian's ${PACKAGES} for ${PYTHON} (${why}): install them with\n` +
      `  apt-get install ${PACKAGES}\n(.ci/run does so when they are missing)`,
  );
}

/** Generates byzantine_pb2.py and byzantine_pb2_grpc.py from proto/byzantine.proto into `outDir`. */
export function generateStubs(outDir: string): void {
  const proto = join(ROOT, 'proto');
  const generated = spawnSync(
    PYTHON,
    [
      '-m',
      'grpc_tools.protoc',
      `-I${proto}`,
      `--python_out=${outDir}`,
      `--grpc_python_out=${outDir}`,
      join(proto, 'byzantine.proto'),
    ],
    { encoding: 'utf8' },
  );
  if (generated.status !== 0 || !existsSync(join(outDir, 'byzantine_pb2_grpc.py'))) {
    throw new Error(
      `grpc_tools.protoc failed (${generated.status}):\n${generated.stdout}${generated.stderr}`,
    );
  }
}

export interface PythonResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs PYTHON with `args` (never blocking this process: the generals' output must keep draining),
 * with `pythonPath` on PYTHONPATH, none of the project's configuration variables, and no bytecode
 * written beside the sources.
 */
export function runPython(
  args: readonly string[],
  pythonPath: string,
  timeoutMs = 120_000,
): Promise<PythonResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, {
      cwd: ROOT,
      env: cleanEnv({ PYTHONPATH: pythonPath, PYTHONDONTWRITEBYTECODE: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`python3 ${args.join(' ')} did not exit within ${timeoutMs} ms\n${stdout}${stderr}`));
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
