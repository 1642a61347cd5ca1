/**
 * The design card's three commands, exactly as typed, in a fresh directory holding the project's
 * files, as root and as a user whose uid is neither 0 nor 1000, with nothing exported first and no
 * sudo (issue 11):
 *
 *   npx tsx generate-compose.ts 10 3,4,7
 *   docker compose up -d
 *   docker compose run client --order ATTACK --t 3
 *
 * Each command runs through `sh -c` as that user, with a plain login environment (PATH and HOME;
 * no UID or GID). The image is built first, under a tag of this test's own: the card's compose.yaml
 * names byzantine-generals:latest, which other work on a shared engine uses, so COMPOSE_FILE adds an
 * override that names this test's tag for every service. Nothing else differs from what a user
 * types. Needs `docker compose` (Compose v2, or .ci/compose-plugin.sh over v1) and root (CI runs the
 * tests as root): without either it fails, saying so. Takes everything down afterwards.
 */
import assert from 'node:assert/strict';
import {
  chownSync,
  copyFileSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  buildImage,
  CommandError,
  describeRun,
  MINUTE,
  mustRun,
  type Ran,
  ROOT,
  requireDocker,
  run,
} from '../support/commands.js';

/** A tag of this test's own (see above). */
const IMAGE = 'byzantine-generals:deploy';
const CARD = [
  'npx tsx generate-compose.ts 10 3,4,7',
  'docker compose up -d',
  'docker compose run client --order ATTACK --t 3',
] as const;
const GENERALS = 10;
/** A user other than root and the image's node (1000), with no entry in /etc/passwd. */
const OTHER_UID = 4321;

/** Values OM(3) sends among 10 generals, by hand: 9 + 9x8 + 9x8x7 + 9x8x7x6. */
const MESSAGES = (9 + 9 * 8 + 9 * 8 * 7 + 9 * 8 * 7 * 6).toLocaleString('en-US');

/** The repository's files, as a fresh clone has them, with its installed dependencies beside. */
function freshProject(dir: string): void {
  const files = mustRun(['git', 'ls-files', '-z'], { cwd: ROOT })
    .stdout.split('\0')
    .filter((f) => f !== '');
  for (const file of files) {
    const source = join(ROOT, file);
    if (!lstatSync(source, { throwIfNoEntry: false })?.isFile()) continue;
    mkdirSync(join(dir, dirname(file)), { recursive: true });
    copyFileSync(source, join(dir, file));
  }
  // `npm ci` would fetch the same packages again: the ones installed here, hard-linked (a copy where
  // that cannot be), so that the other user needs no way into this checkout's directory.
  const modules = join(dir, 'node_modules');
  if (run(['cp', '-al', join(ROOT, 'node_modules'), modules]).status !== 0) {
    rmSync(modules, { recursive: true, force: true });
    mustRun(['cp', '-a', join(ROOT, 'node_modules'), modules]);
  }
}

/** Hands the project to the user, but for node_modules: hard links share their owner with the originals. */
function chownTree(path: string, uid: number, gid: number): void {
  if (basename(path) === 'node_modules') return;
  chownSync(path, uid, gid);
  if (!lstatSync(path).isDirectory()) return;
  for (const entry of readdirSync(path)) {
    const child = join(path, entry);
    if (lstatSync(child).isSymbolicLink()) continue;
    chownTree(child, uid, gid);
  }
}

interface User {
  readonly name: string;
  readonly uid: number;
  readonly gid: number;
}

const hostUid = process.getuid?.() ?? -1;
/** Who may use the Docker socket: its group, which the other user is given, as a docker group member. */
const socketGid = statSync(process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') || '/var/run/docker.sock').gid;

const users: readonly User[] = [
  { name: 'root', uid: 0, gid: 0 },
  { name: `uid ${OTHER_UID}`, uid: OTHER_UID, gid: OTHER_UID },
];

describe("the design card's three commands, exactly as typed", () => {
  before(
    () => {
      requireDocker();
      if (hostUid !== 0) {
        throw new CommandError(
          `run as root (CI does): the test runs the card as root and as uid ${OTHER_UID}`,
        );
      }
      const compose = run(['docker', 'compose', 'version']);
      if (compose.status !== 0) {
        throw new CommandError(
          `\`docker compose\` does not work (${compose.stderr.trim()}): install Compose v2, or run ` +
            '.ci/compose-plugin.sh (as .ci/run does) to make `docker compose` hand over to docker-compose v1',
        );
      }
      buildImage(IMAGE);
    },
    { timeout: 12 * MINUTE },
  );

  for (const user of users) {
    describe(`as ${user.name}`, () => {
      let home = '';
      let dir = '';
      let env: NodeJS.ProcessEnv = {};
      const ran: Ran[] = [];

      /** One command of the card, as the user types it in the project directory. */
      const type = (command: string, timeoutMs: number): Ran => {
        const shell = ['sh', '-c', command];
        const asUser =
          user.uid === 0
            ? shell
            : [
                'setpriv',
                `--reuid=${user.uid}`,
                `--regid=${user.gid}`,
                `--groups=${socketGid}`,
                '--',
                ...shell,
              ];
        return run(asUser, { cwd: dir, env, timeoutMs });
      };

      before(() => {
        home = mkdtempSync(join(tmpdir(), 'byzantine-card-'));
        dir = join(home, `card-${user.uid}-${process.pid}`);
        mkdirSync(dir);
        freshProject(dir);
        // The card's compose.yaml, with this test's image in place of :latest (see the header).
        const override = join(home, 'image.override.yaml');
        const services = [...Array.from({ length: GENERALS }, (_, id) => `general-${id}`), 'client'];
        writeFileSync(
          override,
          `services:\n${services.map((s) => `  ${s}:\n    image: ${IMAGE}\n`).join('')}`,
        );
        if (user.uid !== 0) chownTree(home, user.uid, user.gid);
        env = {
          PATH: process.env.PATH,
          HOME: home,
          COMPOSE_FILE: `${join(dir, 'compose.yaml')}:${override}`,
        };
      });

      after(
        () => {
          if (dir === '') return;
          // Not part of the card: take it down, as root, and check nothing is left.
          const down = run(['docker', 'compose', 'down', '--volumes', '--remove-orphans', '--timeout', '5'], {
            cwd: dir,
            env,
            timeoutMs: 3 * MINUTE,
          });
          const project = basename(dir).toLowerCase();
          const left = run([
            'docker',
            'ps',
            '-aq',
            '--filter',
            `label=com.docker.compose.project=${project}`,
          ]);
          rmSync(home, { recursive: true, force: true });
          assert.equal(down.status, 0, describeRun(['docker', 'compose', 'down'], down));
          assert.equal(left.stdout.trim(), '', `containers left behind for ${project}`);
        },
        { timeout: 4 * MINUTE },
      );

      it(`\`${CARD[0]}\` writes compose.yaml, the keys and a .env naming ${user.name} as their owner`, () => {
        const result = type(CARD[0], 2 * MINUTE);
        ran.push(result);
        assert.equal(result.status, 0, describeRun([CARD[0]], result));
        const dotEnv = readFileSync(join(dir, '.env'), 'utf8');
        assert.match(dotEnv, new RegExp(`^UID=${user.uid}$`, 'm'));
        assert.match(dotEnv, new RegExp(`^GID=${user.gid}$`, 'm'));
        for (const name of readdirSync(join(dir, 'keys', 'private'))) {
          const stat = statSync(join(dir, 'keys', 'private', name));
          assert.equal(stat.uid, user.uid, `${name} belongs to ${user.name}`);
          assert.equal(stat.mode & 0o777, 0o600, `${name} is 0600`);
        }
      });

      it(`\`${CARD[1]}\` starts ${GENERALS} generals, running as ${user.name}`, () => {
        assert.equal(ran.length, 1, 'the first command ran');
        const result = type(CARD[1], 5 * MINUTE);
        ran.push(result);
        assert.equal(result.status, 0, describeRun([CARD[1]], result));
        const project = basename(dir).toLowerCase();
        const ids = mustRun(['docker', 'ps', '-q', '--filter', `label=com.docker.compose.project=${project}`])
          .stdout.trim()
          .split('\n')
          .filter((id) => id !== '');
        assert.equal(ids.length, GENERALS, `${GENERALS} running containers`);
        const usersOf = mustRun(['docker', 'inspect', '--format', '{{.Config.User}}', ...ids])
          .stdout.trim()
          .split('\n');
        assert.deepEqual(new Set(usersOf), new Set([`${user.uid}:${user.gid}`]));
      });

      it(`\`${CARD[2]}\` agrees on ATTACK: exit 0, IC1, IC2, every message`, () => {
        assert.equal(ran.length, 2, 'the first two commands ran');
        const result = type(CARD[2], 3 * MINUTE);
        const shown = describeRun([CARD[2]], result);
        assert.equal(result.status, 0, shown);
        assert.match(result.stdout, /^IC1 holds/m, shown);
        assert.match(result.stdout, /^IC2 holds/m, shown);
        assert.match(result.stdout, /^Final consensus reached: ATTACK$/m, shown);
        assert.match(
          result.stdout,
          new RegExp(`^${MESSAGES} of ${MESSAGES} logical messages delivered`, 'm'),
          shown,
        );
        // The generals wrote their logs as that user, into ./logs beside compose.yaml.
        for (let id = 0; id < GENERALS; id++) {
          const log = join(dir, 'logs', `general_${id}_intermediate.log`);
          assert.equal(statSync(log).uid, user.uid, `${log} belongs to ${user.name}`);
        }
      });
    });
  }
});
