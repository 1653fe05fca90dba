import { afterEach, describe, expect, it } from 'vitest';
import { GATEWAY_SEMI_SPACE_MB, semiSpaceArgs } from '../src/heap.js';

describe('the heap flag of a gateway-hosting child', () => {
  const original = [...process.execArgv];
  afterEach(() => {
    process.execArgv.splice(0, process.execArgv.length, ...original);
  });

  it('asks for the gateway semi-space when this process has none', () => {
    process.execArgv.splice(
      0,
      process.execArgv.length,
      ...original.filter((arg) => !arg.startsWith('--max-semi-space-size')),
    );
    expect(semiSpaceArgs()).toEqual([`--max-semi-space-size=${GATEWAY_SEMI_SPACE_MB}`]);
    expect(semiSpaceArgs(32)).toEqual(['--max-semi-space-size=32']);
  });

  it("keeps a caller's own size: no second flag when this process already has one", () => {
    process.execArgv.push('--max-semi-space-size=8');
    expect(semiSpaceArgs()).toEqual([]);
  });
});
