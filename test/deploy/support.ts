/**
 * What the generator's tests share: the arguments as a user types them, the generator run as a
 * user runs it, and YAML read back as Compose v1, the docker CLI and kubectl read it (YAML 1.1).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';
import {
  GenerateArgumentError,
  type GenerateRequest,
  parseGenerateArgs,
} from '../../src/deploy/arguments.js';
import type { Cluster, Target } from '../../src/deploy/cluster.js';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** tsx's loader by absolute URL, so child processes can run TypeScript from any directory. */
const TSX = import.meta.resolve('tsx');

export type Yaml = string | number | boolean | null | Yaml[] | { [key: string]: Yaml };
export type YamlMap = { [key: string]: Yaml };

export function requestOf(argv: readonly string[]): Extract<GenerateRequest, { kind: 'generate' }> {
  const request = parseGenerateArgs(argv);
  assert.equal(request.kind, 'generate');
  if (request.kind !== 'generate') throw new Error('unreachable');
  return request;
}

export const clusterOf = (argv: readonly string[]): Cluster => requestOf(argv).cluster;
export const targetOf = (argv: readonly string[]): Target => requestOf(argv).target;

export function problemsOf(argv: readonly string[]): readonly string[] {
  try {
    parseGenerateArgs(argv);
  } catch (error) {
    assert.ok(error instanceof GenerateArgumentError, `expected GenerateArgumentError, got ${String(error)}`);
    return error.problems;
  }
  assert.fail(`expected ${JSON.stringify(argv)} to be refused`);
}

/** Runs generate-compose.ts in `cwd` as a user would, with `env` added to this process's. */
export function runGenerator(argv: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', TSX, join(ROOT, 'generate-compose.ts'), ...argv], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

/** One YAML document, read as YAML 1.1 (duplicate keys and other errors fail the test). */
export function readYaml(text: string): YamlMap {
  const value = parse(text, { version: '1.1', uniqueKeys: true, prettyErrors: true }) as Yaml;
  return mappingAt(value, 'the document');
}

/** Every document of a multi-document file, as YAML 1.1. */
export function readYamlStream(text: string): YamlMap[] {
  return parseAllDocuments(text, { version: '1.1', uniqueKeys: true }).map((document, index) => {
    assert.deepEqual(document.errors, [], `document ${index} parses`);
    return mappingAt(document.toJS() as Yaml, `document ${index}`);
  });
}

/** Narrows a parsed value to a mapping, failing the test otherwise. */
export function mappingAt(value: Yaml | undefined, where: string): YamlMap {
  assert.ok(
    typeof value === 'object' && value !== null && !Array.isArray(value),
    `${where} should be a mapping`,
  );
  return value;
}

export function sequenceAt(value: Yaml | undefined, where: string): Yaml[] {
  assert.ok(Array.isArray(value), `${where} should be a sequence`);
  return value;
}
