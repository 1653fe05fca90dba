import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { DatasetImportInput } from '@metaspo/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { importEthos, importHateCheck, importTweetEval } from '../src/importers/benchmark-csv.js';
import { bbhImporter, importBigbenchEpistemic, importMetaspoJson } from '../src/importers/benchmark-json.js';
import { importHhRlhf, importMedmcqa } from '../src/importers/benchmark-jsonl.js';
import type { LoadedFile } from '../src/importers/parse.js';
import type { Importer, SourceFiles } from '../src/importers/types.js';
import { PROTOCOL_ASSETS } from '../src/index.js';
import { SHARED_DATASETS, tempService } from './helpers.js';

const file = (name: string, content: string | Buffer): LoadedFile => ({
  name,
  bytes: typeof content === 'string' ? Buffer.from(content) : content,
});

function filesOf(entries: Record<string, LoadedFile>): SourceFiles {
  return {
    maxBytes: 1024 * 1024,
    get: (role) => entries[role]!,
    all: (role) => (entries[role] ? [entries[role]] : []),
  };
}

const run = (importer: Importer, entries: Record<string, LoadedFile>) => () => importer(filesOf(entries));

describe('built-in importers refuse malformed files with file, line/record and field', () => {
  it.each([
    [
      'truncated BBH JSON',
      run(bbhImporter('option'), {
        all: file('bbh.json', '{"examples": [{"input": "Q\\nOptions:\\n(A) x", "tar'),
      }),
      /^bbh\.json: line 1: truncated JSON/,
    ],
    [
      'BBH record with a wrong field name',
      run(bbhImporter('plain'), { all: file('bbh.json', '{"examples": [{"input": "Q", "answer": "3"}]}') }),
      'bbh.json: examples record 1, field "target": missing',
    ],
    [
      'MetaSPO JSON without a test array',
      run(importMetaspoJson, { all: file('amazon.json', '{"train": [], "tests": []}') }),
      'amazon.json: field "test": expected an array',
    ],
    [
      'MedMCQA line with three options',
      run(importMedmcqa, {
        all: file('Anatomy.jsonl', '{"question":"q","options":"A. a\\nB. b\\nC. c","answer":"A. a"}\n'),
      }),
      'Anatomy.jsonl: line 1, field "options": expected 4 options, found 3',
    ],
    [
      'MedMCQA answer that is no option',
      run(importMedmcqa, {
        all: file(
          'Anatomy.jsonl',
          '\n{"question":"q","options":"A. a\\nB. b\\nC. c\\nD. d","answer":"E. e"}\n',
        ),
      }),
      'Anatomy.jsonl: line 2, field "answer": "E. e" is not one of the options',
    ],
    [
      'epistemic target_scores with both labels',
      run(importBigbenchEpistemic, {
        all: file(
          'task.json',
          '{"examples":[{"input":"p","target_scores":{"entailment":1,"non-entailment":1}}]}',
        ),
      }),
      'task.json: examples record 1, field "target_scores": expected {"entailment": 0|1, "non-entailment": 1|0}',
    ],
    [
      'HateCheck CSV row with an extra field',
      run(importHateCheck, {
        all: file('cases.csv', ',test_case,label_gold\r\n0,hi,hateful\r\n1,"a,b",non-hateful,extra\r\n'),
      }),
      /^cases\.csv: line 3: bad CSV row \(Invalid Record Length/,
    ],
    [
      'ETHOS non-numeric isHate',
      run(importEthos, { all: file('ethos.csv', 'comment;isHate\nok;0.0\nbad;maybe\n') }),
      'ethos.csv: line 3, field "isHate": expected a fraction between 0 and 1, got "maybe"',
    ],
    [
      'TweetEval labels that do not align',
      run(importTweetEval, {
        mapping: file('mapping.txt', '0\tnot-offensive\n1\toffensive\n'),
        'text:train': file('train_text.txt', 'a\nb\n'),
        'labels:train': file('train_labels.txt', '0\n'),
        'text:val': file('val_text.txt', 'a\n'),
        'labels:val': file('val_labels.txt', '0\n'),
        'text:test': file('test_text.txt', 'a\n'),
        'labels:test': file('test_labels.txt', '0\n'),
      }),
      'train_labels.txt: 1 labels for 2 texts in train_text.txt',
    ],
    [
      'hh-rlhf file that is not gzip',
      run(importHhRlhf, { all: file('test.jsonl.gz', '{"chosen": "x"}') }),
      /^test\.jsonl\.gz: not a readable gzip file/,
    ],
    [
      'hh-rlhf line without "chosen"',
      run(importHhRlhf, {
        all: file(
          'test.jsonl.gz',
          gzipSync('{"chosen":"a","rejected":"b"}\n{"choosen":"a","rejected":"b"}\n'),
        ),
      }),
      /test\.jsonl\.gz: line 2, field "(chosen|rejected)": missing/,
    ],
    [
      'an empty file',
      run(importMedmcqa, { all: file('Empty.jsonl', '\n  \n') }),
      'Empty.jsonl: file is empty',
    ],
  ])('%s', (_name, act, message) => {
    expect(act).toThrow(message);
  });
});

describe('user imports: a malformed file leaves the database unchanged', () => {
  let ctx: ReturnType<typeof tempService>;
  beforeEach(async () => {
    ctx = tempService();
    ctx.service.importUserData({
      taskId: 'keep',
      format: 'jsonl',
      fileName: 'keep.jsonl',
      content: '{"question":"1+1","answer":"2"}\n',
    });
  });
  afterEach(() => ctx.cleanup());

  const cases: Array<[string, Omit<DatasetImportInput, 'taskId'>, string | RegExp]> = [
    [
      'truncated JSON',
      {
        format: 'json',
        fileName: 'mine.json',
        content: '[{"question": "a", "answer": "b"},\n{"question": "c", "ans',
      },
      /^mine\.json: line 2: truncated JSON/,
    ],
    [
      'truncated metaspo-json',
      {
        format: 'metaspo-json',
        fileName: 'mine.json',
        content: '{"train": [{"question": "a", "answer": "b"}], "test": [',
      },
      /^mine\.json: line 1: truncated JSON/,
    ],
    [
      'wrong field names in JSONL',
      {
        format: 'jsonl',
        fileName: 'mine.jsonl',
        content: '{"question":"a","answer":"b"}\n{"prompt":"c","answer":"d"}\n',
      },
      'mine.jsonl: line 2, field "question": missing',
    ],
    [
      'a JSONL line that is not JSON',
      {
        format: 'jsonl',
        fileName: 'mine.jsonl',
        content: '{"question":"a","answer":"b"}\n{"question":"c", answer}\n',
      },
      /^mine\.jsonl: line 2: invalid JSON/,
    ],
    [
      'a CSV without the answer column',
      { format: 'csv', fileName: 'mine.csv', content: 'question,label\na,b\n' },
      'mine.csv: line 1, field "answer": no such column (columns: question, label)',
    ],
    [
      'a bad CSV row',
      { format: 'csv', fileName: 'mine.csv', content: 'question,answer\na,b\n"c,d\n' },
      /^mine\.csv: line 3: bad CSV row \(Quote Not Closed/,
    ],
    [
      'an answer outside the label space',
      {
        format: 'csv',
        fileName: 'mine.csv',
        answerType: 'yes-no',
        content: 'question,answer\na,yes\nb,no\nc,maybe\nd,perhaps\n',
      },
      'mine.csv: line 4, field "answer": "maybe" is not in the label space [yes, no] (2 records have an unusable answer: mine.csv line 4; mine.csv line 5)',
    ],
    ['an empty file', { format: 'csv', fileName: 'empty.csv', content: '' }, 'empty.csv: file is empty'],
    [
      'a bad split value',
      { format: 'jsonl', fileName: 'mine.jsonl', content: '{"question":"a","answer":"b","split":"dev"}\n' },
      'mine.jsonl: line 1, field "split": expected "train" or "test", got "dev"',
    ],
  ];

  it.each(cases)('%s', (_name, input, message) => {
    const before = ctx.service.counts();
    expect(() => ctx.service.importUserData({ taskId: 'mine', ...input })).toThrow(message);
    expect(() => ctx.service.importUserData({ taskId: 'keep', ...input })).toThrow(message);
    expect(ctx.service.counts()).toEqual(before);
    expect(
      ctx.service.sample({ taskId: 'keep', split: 'train', n: 10, seed: 1 }).length +
        ctx.service.sample({ taskId: 'keep', split: 'test', n: 10, seed: 1 }).length,
    ).toBe(1);
  });

  it('refuses a file over the size limit', () => {
    const small = tempService({ maxFileBytes: 64 });
    try {
      expect(() =>
        small.service.importUserData({
          taskId: 'big',
          format: 'jsonl',
          fileName: 'big.jsonl',
          content: `{"question":"${'x'.repeat(100)}","answer":"a"}\n`,
        }),
      ).toThrow(/^big\.jsonl: file is \d+ bytes, over the limit of 64 bytes/);
      expect(small.service.counts().examples).toBe(0);
    } finally {
      small.cleanup();
    }
  });
});

describe('fetch refuses a file whose sha256 is not the pinned one', () => {
  it('names the file and leaves the database unchanged', async () => {
    const ctx = tempService();
    try {
      const mirror = path.join(ctx.dir, 'mirror');
      const navigate = 'BIG-Bench-Hard/bbh/navigate.json';
      // A task selection also reads the fixed system prompts and the corpus.
      const assets = PROTOCOL_ASSETS.filter((a) => a.kind !== 'user-prompts').map((a) => a.file.localPath);
      for (const localPath of [navigate, ...assets]) {
        mkdirSync(path.dirname(path.join(mirror, localPath)), { recursive: true });
        copyFileSync(path.join(SHARED_DATASETS, localPath), path.join(mirror, localPath));
      }
      await ctx.service.fetch({ taskIds: ['navigate'], from: mirror });
      const before = ctx.service.counts();
      writeFileSync(path.join(mirror, navigate), '{"examples": []}');
      await expect(ctx.service.fetch({ taskIds: ['navigate'], from: mirror })).rejects.toThrow(
        `fetch navigate: ${path.join(mirror, navigate)}: sha256 mismatch: expected b7944dfd3c81da5c4815bd75b00d6fa3c64140823498e78ed496f4c3d36f7f0d`,
      );
      await expect(ctx.service.fetch({ taskIds: ['object_counting'], from: mirror })).rejects.toThrow(
        /fetch object_counting: .*object_counting\.json: file not found/,
      );
      expect(ctx.service.counts()).toEqual(before);
    } finally {
      ctx.cleanup();
    }
  });
});
