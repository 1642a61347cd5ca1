/**
 * The .env that makes the design card's commands work for any user: what it holds, how a user's
 * own .env is merged rather than clobbered, when it is refused, and whose ids it carries. The
 * expected files are written out by hand here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { keysOwner, MixedKeyOwnersError, planDotEnv } from '../../src/deploy/dotenv.js';

const ids = { uid: 1234, gid: 5678 };

describe('.env beside compose.yaml (planDotEnv)', () => {
  it("is written whole when there is none: UID and GID of the keys' owner after a comment", () => {
    const plan = planDotEnv('.env', undefined, ids);
    assert.equal(plan.kind, 'write');
    if (plan.kind !== 'write') return;
    const lines = plan.text.split('\n');
    assert.ok(lines[0]?.startsWith('# '), 'a comment says who wrote it and why');
    assert.deepEqual(
      lines.filter((line) => !line.startsWith('#')),
      ['UID=1234', 'GID=5678', ''],
    );
    assert.deepEqual(plan.added, ['UID', 'GID']);
  });

  it("keeps a user's lines byte for byte and appends the missing names", () => {
    const mine = 'COMPOSE_PROJECT_NAME=generals\r\n# a note\nNODE_IMAGE="local/node:20"';
    const plan = planDotEnv('.env', mine, ids);
    assert.equal(plan.kind, 'write');
    if (plan.kind !== 'write') return;
    assert.ok(plan.text.startsWith(`${mine}\n`), 'unchanged, then a line break where it had none');
    const added = plan.text.slice(mine.length + 1).split('\n');
    assert.equal(added.length, 4);
    assert.match(added[0] ?? '', /^# Added by generate-compose\.ts/);
    assert.deepEqual(added.slice(1), ['UID=1234', 'GID=5678', '']);
  });

  it('adds only GID when UID is already right', () => {
    const plan = planDotEnv('.env', 'UID=1234\n', ids);
    assert.equal(plan.kind, 'write');
    if (plan.kind !== 'write') return;
    assert.deepEqual(plan.added, ['GID']);
    assert.match(plan.text, /^UID=1234\n# Added by .*\nGID=5678\n$/);
  });

  it('leaves a .env alone that already says so, in any spelling Compose reads', () => {
    for (const text of [
      'UID=1234\nGID=5678\n',
      'export UID=1234\nGID="5678"\n',
      "  UID = '1234'\nGID=5678 # mine\n",
      'UID=1\nUID=1234\nGID=5678',
    ]) {
      // The last: Compose keeps the last assignment, but an earlier other value is still a conflict.
      const plan = planDotEnv('.env', text, ids);
      if (text.startsWith('UID=1\n')) assert.equal(plan.kind, 'conflict', text);
      else assert.deepEqual(plan, { kind: 'unchanged' }, text);
    }
  });

  it('refuses other ids, naming the file, the value, the owner and the fix', () => {
    const plan = planDotEnv('cluster/.env', 'UID=1000\nGID=1000\n', ids);
    assert.equal(plan.kind, 'conflict');
    if (plan.kind !== 'conflict') return;
    assert.equal(plan.problems.length, 2);
    assert.match(
      plan.problems[0] ?? '',
      /^cluster\/\.env sets UID=1000, but the keys belong to uid 1234: .*Set UID=1234 there, or delete the line/,
    );
    assert.match(plan.problems[1] ?? '', /^cluster\/\.env sets GID=1000, but the keys belong to gid 5678/);
  });

  it('refuses an empty UID: Compose would fall back to 1000', () => {
    assert.equal(planDotEnv('.env', 'UID=\n', ids).kind, 'conflict');
  });

  it('without keys (--no-auth) keeps the ids a user chose, and adds what is missing', () => {
    assert.deepEqual(planDotEnv('.env', 'UID=1000\nGID=1000\n', ids, false), { kind: 'unchanged' });
    const plan = planDotEnv('.env', 'UID=1000\n', ids, false);
    assert.equal(plan.kind, 'write');
    if (plan.kind === 'write') assert.deepEqual(plan.added, ['GID']);
  });
});

describe("the keys' owner (keysOwner)", () => {
  it('is the one user who owns every private key', () => {
    const files = [0, 1, 2].map((id) => ({ path: `keys/private/general_${id}.pem`, uid: 1000, gid: 100 }));
    assert.deepEqual(keysOwner('keys/private', files), { uid: 1000, gid: 100 });
    assert.equal(keysOwner('keys/private', []), undefined);
  });

  it('is refused when the keys belong to different users: no single UID:GID could read them all', () => {
    const files = [
      { path: 'keys/private/general_0.pem', uid: 0, gid: 0 },
      { path: 'keys/private/general_1.pem', uid: 1000, gid: 1000 },
      { path: 'keys/private/client.pem', uid: 0, gid: 0 },
    ];
    assert.throws(
      () => keysOwner('keys/private', files),
      (error: unknown) =>
        error instanceof MixedKeyOwnersError &&
        /belong to different users: 0:0 owns 2 \(e\.g\. keys\/private\/general_0\.pem\); 1000:1000 owns 1/.test(
          error.message,
        ) &&
        /chown them to one user/.test(error.message),
    );
  });
});
