import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TaskSpecSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { PROCEDURAL_SIZES, PROCEDURAL_SPLIT, PROCEDURAL_TASKS } from './index.js';

const { train, test, trainSeed, testSeed } = PROCEDURAL_SIZES;

describe('procedural task registry', () => {
  it('has at least seven tasks with unique proc_ ids, split four meta-train and three meta-test', () => {
    const ids = PROCEDURAL_TASKS.map((task) => task.spec.id);
    expect(ids.length).toBeGreaterThanOrEqual(7);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => id.startsWith('proc_'))).toBe(true);
    expect(PROCEDURAL_SPLIT.train).toHaveLength(4);
    expect(PROCEDURAL_SPLIT.test).toHaveLength(3);
    expect(PROCEDURAL_SPLIT.train.filter((id) => PROCEDURAL_SPLIT.test.includes(id))).toEqual([]);
    expect([...PROCEDURAL_SPLIT.train, ...PROCEDURAL_SPLIT.test].sort()).toEqual([...ids].sort());
  });

  it.each(PROCEDURAL_TASKS.map((task) => [task.spec.id, task] as const))(
    '%s has a valid spec',
    (_id, task) => {
      const spec = TaskSpecSchema.parse(task.spec);
      expect(spec.domain).toBe('procedural');
      expect(spec.importer).toBe('procedural');
      expect(spec.source?.license).toBe('project-generated (MIT)');
      expect(spec.initialUserPrompt).toMatch(/<Question>\{question\}<\/Question>/);
      expect(spec.initialUserPrompt).toMatch(/<answer>\.\.\.<\/answer>/);
      expect(spec.metric).toBe(spec.answerType.kind === 'free-text' ? 'exact-match' : 'accuracy');
      if (spec.answerType.kind === 'option')
        expect(spec.labelSpace).toHaveLength(spec.answerType.optionCount);
      if (spec.answerType.kind === 'yes-no') expect(spec.labelSpace).toEqual(['yes', 'no']);
      if (spec.answerType.kind === 'label') expect(spec.labelSpace).toEqual(spec.answerType.labels);
    },
  );
});

describe.each(PROCEDURAL_TASKS.map((task) => [task.spec.id, task] as const))('%s generation', (_id, task) => {
  const trainItems = task.generate(trainSeed, train);
  const testItems = task.generate(testSeed, test);

  it('gives the same items for the same seed and different items for another seed', () => {
    expect(task.generate(trainSeed, train)).toEqual(trainItems);
    const other = task.generate(trainSeed + 1, train);
    expect(other).not.toEqual(trainItems);
    const shared = new Set(trainItems.map((item) => item.question));
    expect(other.filter((item) => shared.has(item.question)).length).toBeLessThan(train / 10);
  });

  it('returns a prefix of the longer list for a smaller count', () => {
    expect(task.generate(testSeed, 25)).toEqual(testItems.slice(0, 25));
    expect(task.generate(testSeed, 0)).toEqual([]);
  });

  it('has distinct questions within a split and none shared between train and test', () => {
    expect(trainItems).toHaveLength(train);
    expect(testItems).toHaveLength(test);
    expect(new Set(trainItems.map((item) => item.question)).size).toBe(train);
    expect(new Set(testItems.map((item) => item.question)).size).toBe(test);
    const testQuestions = new Set(testItems.map((item) => item.question));
    for (const seed of [trainSeed, 7]) {
      const leaked = task.generate(seed, train).filter((item) => testQuestions.has(item.question));
      expect(leaked).toEqual([]);
    }
  });

  it('gives canonical answers inside the label space', () => {
    const spec = TaskSpecSchema.parse(task.spec);
    const { answerType, labelSpace } = spec;
    const violations = [...trainItems, ...testItems].filter((item) => {
      if (labelSpace && !labelSpace.includes(item.answer)) return true;
      if (item.question.includes('{')) return true;
      switch (answerType.kind) {
        case 'integer':
          return !/^(0|[1-9]\d*)$/.test(item.answer);
        case 'option':
          return (
            item.options?.length !== answerType.optionCount ||
            new Set(item.options).size !== answerType.optionCount
          );
        case 'free-text':
          return !item.acceptedAnswers?.includes(item.answer);
        default:
          return false;
      }
    });
    expect(violations).toEqual([]);
  });

  it('uses more than one answer and more than one phrasing', () => {
    expect(new Set(trainItems.map((item) => item.answer)).size).toBeGreaterThan(1);
    expect(new Set(trainItems.map((item) => item.question.slice(0, 12))).size).toBeGreaterThan(2);
  });

  it('rejects a count that is not a non-negative integer', () => {
    expect(() => task.generate(trainSeed, -1)).toThrow(RangeError);
    expect(() => task.generate(trainSeed, 2.5)).toThrow(/non-negative integer/);
  });
});

describe('determinism across processes', () => {
  it('generates identical items in a fresh Node process', () => {
    const indexFile = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `const { PROCEDURAL_TASKS } = await import(${JSON.stringify(indexFile)});
process.stdout.write(JSON.stringify(PROCEDURAL_TASKS.map((task) => task.generate(${trainSeed}, 40))));`;
    const output = execFileSync(
      process.execPath,
      ['--conditions=@metaspo/source', '--import', 'tsx', '--input-type=module', '--eval', script],
      { cwd: fileURLToPath(new URL('../..', import.meta.url)), encoding: 'utf8', timeout: 30_000 },
    );
    expect(JSON.parse(output)).toEqual(PROCEDURAL_TASKS.map((task) => task.generate(trainSeed, 40)));
  });
});
