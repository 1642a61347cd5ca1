import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type CpuProfile, packageOf, summarize } from '../../bench/profile.js';

// A profile written by hand: each sample's delta (µs) is the time since the previous sample.
const profile: CpuProfile = {
  nodes: [
    { id: 1, callFrame: { functionName: '(idle)', url: '' } },
    {
      id: 2,
      callFrame: { functionName: 'write', url: 'file:///app/node_modules/@grpc/grpc-js/build/src/call.js' },
    },
    { id: 3, callFrame: { functionName: 'event', url: 'file:///app/dist/src/log/general-log.js' } },
    { id: 4, callFrame: { functionName: 'emit', url: 'node:events' } },
    { id: 5, callFrame: { functionName: '(garbage collector)', url: '' } },
    {
      id: 6,
      callFrame: { functionName: 'decode', url: 'file:///app/node_modules/protobufjs/src/reader.js' },
    },
  ],
  startTime: 1_000,
  samples: [3, 2, 1, 2, 3, 4, 5, 6],
  timeDeltas: [100, 100, 100, 300, 100, 100, 200, 300],
};

describe('where the time goes, from V8 CPU profiles', () => {
  it('names the package of a frame: scoped and plain npm packages, Node, this project, V8', () => {
    assert.equal(
      packageOf({ functionName: 'f', url: 'file:///a/node_modules/@grpc/grpc-js/build/x.js' }),
      '@grpc/grpc-js',
    );
    assert.equal(
      packageOf({ functionName: 'f', url: 'file:///a/node_modules/x/node_modules/protobufjs/src/r.js' }),
      'protobufjs',
    );
    assert.equal(
      packageOf({ functionName: 'f', url: 'node:internal/http2/core' }),
      'node:* (built-in modules)',
    );
    assert.equal(
      packageOf({ functionName: 'f', url: 'file:///work/dist/src/net/peer-link.js' }),
      'src/net/peer-link',
    );
    assert.equal(
      packageOf({ functionName: 'f', url: 'file:///work/bench/floor/floor-node.ts' }),
      'bench/floor/floor-node',
    );
    assert.equal(packageOf({ functionName: '(program)', url: '' }), '(program)');
    assert.equal(packageOf({ functionName: 'writeBuffer', url: '' }), 'native');
  });

  it('counts busy self time from the mark on, leaving idle time and everything before out', () => {
    // Sample times: 1100 (event), 1200 (write), 1300 (idle), 1600 (write), 1700 (event), 1800
    // (emit), 2000 (GC), 2300 (decode). From 1600 on, busy: write 300, event 100, emit 100, GC 200,
    // decode 300 = 1000 µs.
    const summary = summarize([profile], 1_600);
    assert.equal(summary.busyMs, 1);
    assert.deepEqual(
      summary.packages.map((s) => [s.name, Math.round(s.percent)]),
      [
        ['@grpc/grpc-js', 30],
        ['protobufjs', 30],
        ['(garbage collector)', 20],
        ['src/log/general-log', 10],
        ['node:* (built-in modules)', 10],
      ],
    );
    assert.deepEqual(
      summary.functions.slice(0, 3).map((s) => s.name),
      ['write in @grpc/grpc-js', 'decode in protobufjs', '(garbage collector)'],
    );
  });

  it('adds the profiles of every process of a case together', () => {
    const both = summarize([profile, profile], 0);
    assert.equal(both.busyMs, 2 * 1.2);
  });
});
