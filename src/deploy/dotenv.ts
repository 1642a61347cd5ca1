/**
 * The .env beside compose.yaml that makes `docker compose up` run the containers as the owner of the
 * keys. compose.yaml says `user: ${UID:-1000}:${GID:-1000}`; Compose (v2, and v1 from 1.28) fills
 * that from the shell's environment, else from .env in the compose file's directory, and bash never
 * exports UID (nor has GID), so without .env every container would run as 1000:1000 and could read
 * a 0600 key only if uid 1000 owned it.
 *
 * Pure: given the file's current text (or none) and the ids, it says what to write. A user's .env is
 * never clobbered: its other lines stay as they are, missing UID/GID lines are appended, and UID or
 * GID set to other ids is a conflict for the user to resolve.
 */

export interface OwnerIds {
  readonly uid: number;
  readonly gid: number;
}

export type DotEnvPlan =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'write'; readonly text: string; readonly added: readonly string[] }
  | { readonly kind: 'conflict'; readonly problems: readonly string[] };

const NAMES = ['UID', 'GID'] as const;
type Name = (typeof NAMES)[number];

const HEADER = [
  // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation, quoted for the reader
  '# Written by generate-compose.ts: compose.yaml runs every container as ${UID}:${GID}, the owner',
  '# of ./keys, so that the containers can read their 0600 keys and the files in ./logs are theirs.',
];
/** Before lines appended to a user's own .env. */
const APPENDED =
  '# Added by generate-compose.ts: the owner of ./keys, whom compose.yaml runs the containers as.';

/** One `NAME=value` (or `export NAME=value`) line as Compose's dotenv readers see it. */
const ASSIGNMENT = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/;

/** The value of an assignment: quotes removed, or an unquoted value's trailing ` # comment` dropped. */
function assignedValue(raw: string): string {
  const quoted = /^(["'])(.*)\1$/.exec(raw);
  if (quoted !== null) return quoted[2] ?? '';
  return raw.replace(/\s+#.*$/, '');
}

/** Every value each of UID and GID is given in the file, in order (Compose uses the last). */
function assignmentsOf(text: string): Map<Name, string[]> {
  const found = new Map<Name, string[]>();
  for (const line of text.split(/\r?\n/)) {
    const match = ASSIGNMENT.exec(line);
    const name = match?.[1];
    if (match === null || name === undefined || !(NAMES as readonly string[]).includes(name)) continue;
    const values = found.get(name as Name) ?? [];
    values.push(assignedValue(match[2] ?? ''));
    found.set(name as Name, values);
  }
  return found;
}

/**
 * What to do with .env at `path` (for messages), whose current text is `existing` (undefined when
 * there is none), so that Compose reads UID and GID as `ids`. With `keys` false (--no-auth) nothing
 * needs those ids: other values the user set are kept.
 */
export function planDotEnv(
  path: string,
  existing: string | undefined,
  ids: OwnerIds,
  keys = true,
): DotEnvPlan {
  const wanted: Record<Name, string> = { UID: `${ids.uid}`, GID: `${ids.gid}` };
  if (existing === undefined) {
    return {
      kind: 'write',
      text: `${[...HEADER, `UID=${wanted.UID}`, `GID=${wanted.GID}`].join('\n')}\n`,
      added: [...NAMES],
    };
  }
  const found = assignmentsOf(existing);
  const problems: string[] = [];
  for (const name of NAMES) {
    const values = found.get(name) ?? [];
    const other = values.find((value) => value !== wanted[name]);
    if (other !== undefined && keys) {
      problems.push(
        `${path} sets ${name}=${other}, but the keys belong to ${name === 'UID' ? 'uid' : 'gid'} ${wanted[name]}: ` +
          `the containers run as \${UID}:\${GID} and could not read their 0600 keys. Set ${name}=${wanted[name]} ` +
          `there, or delete the line and rerun (the generator adds it)`,
      );
    }
  }
  if (problems.length > 0) return { kind: 'conflict', problems };
  const missing = NAMES.filter((name) => (found.get(name) ?? []).length === 0);
  if (missing.length === 0) return { kind: 'unchanged' };
  const separator = existing === '' || existing.endsWith('\n') ? '' : '\n';
  const lines = [APPENDED, ...missing.map((name) => `${name}=${wanted[name]}`)];
  return { kind: 'write', text: `${existing}${separator}${lines.join('\n')}\n`, added: missing };
}

/** A private key file and who owns it, as the generator found it. */
export interface KeyFileOwner {
  readonly path: string;
  readonly uid: number;
  readonly gid: number;
}

/** The private keys belong to more than one user: no single UID:GID could read them all. */
export class MixedKeyOwnersError extends Error {
  override readonly name = 'MixedKeyOwnersError';
}

/**
 * Whom the containers must run as: the one owner of every private key (a 0600 key is readable by
 * its owner alone, and capabilities are dropped). Undefined when there are no keys.
 */
export function keysOwner(keyDir: string, files: readonly KeyFileOwner[]): OwnerIds | undefined {
  const owners = new Map<string, KeyFileOwner[]>();
  for (const file of files) {
    const ids = `${file.uid}:${file.gid}`;
    owners.set(ids, [...(owners.get(ids) ?? []), file]);
  }
  const [first, ...others] = [...owners.values()];
  if (first?.[0] === undefined) return undefined;
  if (others.length > 0) {
    const list = [...owners.entries()].map(
      ([ids, owned]) => `${ids} owns ${owned.length} (e.g. ${owned[0]?.path ?? ''})`,
    );
    throw new MixedKeyOwnersError(
      `the private keys in ${keyDir} belong to different users: ${list.join('; ')}. The containers run as ` +
        'one user, who must own them all: chown them to one user and rerun',
    );
  }
  return { uid: first[0].uid, gid: first[0].gid };
}
