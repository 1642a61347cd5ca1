/**
 * The YAML the generator writes is read by Compose v1 (PyYAML), the docker CLI and kubectl (go-yaml),
 * all YAML 1.1: strings that 1.1 reads as booleans, numbers, octals or sexagesimals must come back as
 * the same strings, file modes as the numbers the APIs expect, and long lines must not be folded.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { commentBlock, yamlStream, yamlText } from '../../src/deploy/yaml.js';
import { readYaml, readYamlStream } from './support.js';

describe('the YAML writer', () => {
  it('quotes what YAML 1.1 would otherwise read as something else, and round-trips it', () => {
    const tricky = {
      words: ['no', 'yes', 'on', 'off', 'y', 'n', 'true', 'null', '~', 'Off'],
      numbers: ['50051', '1:20', '0x1f', '.inf', '1e3', '0600', '0o17', '-1', '+1', '3.0'],
      text: 'a: b',
      hash: 'x #y',
      empty: '',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: compose interpolation
      dollars: '${X:-1}',
      quote: 'say "hi"\n',
      plain: 'general-0:50051,general-1:50051',
      count: 3,
      flag: false,
      nothing: [],
      none: {},
    };
    const text = yamlText(tricky);
    assert.match(text, /^plain: general-0:50051,general-1:50051$/m);
    assert.deepEqual(readYaml(text), tricky);
    // The 1.1 words really are quoted: a YAML 1.1 reader would otherwise see booleans.
    assert.match(text, /"yes"/);
    assert.match(text, /"0600"/);
  });

  it('writes file modes in octal, which every reader takes as the number', () => {
    const text = yamlText({ secret: { mode: 0o400 }, volume: { defaultMode: 0o440 }, other: { count: 256 } });
    assert.match(text, /^ {2}mode: 0400$/m);
    assert.match(text, /^ {2}defaultMode: 0440$/m);
    assert.match(text, /^ {2}count: 256$/m);
    assert.deepEqual(readYaml(text), {
      secret: { mode: 256 },
      volume: { defaultMode: 288 },
      other: { count: 256 },
    });
  });

  it('never folds a long value and never writes anchors for repeated parts', () => {
    const peers = Array.from({ length: 100 }, (_, id) => `general-${id}:50051`).join(',');
    const shared = ['ALL'];
    const text = yamlText({ a: { PEERS: peers, drop: shared }, b: { drop: shared } });
    assert.ok(text.includes(`PEERS: ${peers}\n`), 'on one line');
    assert.doesNotMatch(text, /[&*]a\d/);
    assert.deepEqual(readYaml(text), { a: { PEERS: peers, drop: ['ALL'] }, b: { drop: ['ALL'] } });
  });

  it('writes short lists of scalars on one line and long ones as blocks', () => {
    const text = yamlText({
      short: ['CMD', 'node', 'x.js'],
      long: Array.from({ length: 30 }, (_, i) => `item-${i}`),
    });
    assert.match(text, /^short: \[CMD, node, x\.js\]$/m);
    assert.match(text, /^long:\n {2}- item-0$/m);
  });

  it('comments every header line and separates documents', () => {
    assert.equal(commentBlock(['one', '', 'two']), '# one\n#\n# two\n');
    const text = yamlStream(['head'], [{ kind: 'A' }, { kind: 'B' }]);
    assert.equal(text, '# head\n---\nkind: A\n---\nkind: B\n');
    assert.deepEqual(readYamlStream(text), [{ kind: 'A' }, { kind: 'B' }]);
  });
});
