import { describe, expect, it } from 'vitest';
import { bbhImporter } from '../src/importers/benchmark-json.js';
import { importLogicGridPuzzle } from '../src/importers/benchmark-jsonl.js';
import type { LoadedFile } from '../src/importers/parse.js';
import { PythonLiteralError, parsePythonStringList } from '../src/importers/python-literal.js';
import { importSquad } from '../src/importers/squad.js';
import { importTriviaQa } from '../src/importers/trivia-qa.js';
import type { Importer } from '../src/importers/types.js';
import { PROTOCOL_ASSETS } from '../src/index.js';
import { parseProtocolAsset } from '../src/protocol-assets/parse.js';

const file = (name: string, content: string): LoadedFile => ({ name, bytes: Buffer.from(content) });
const run = (importer: Importer, entries: Record<string, LoadedFile>) =>
  importer({
    maxBytes: 1024 * 1024,
    get: (role) => entries[role]!,
    all: (role) => (entries[role] ? [entries[role]] : []),
  });
const asset = (id: string) => PROTOCOL_ASSETS.find((a) => a.id === id)!;

describe('the Python string-list reader', () => {
  it.each([
    [`['a', "b's", 'c\\'d']`, ['a', "b's", "c'd"]],
    [`[]`, []],
    [` ['x',] `, ['x']],
    [
      `['\\u200dz', '\\x83', '\\\\', '\\n\\t', '\\U0001F600', '\\101']`,
      ['\u200dz', '\x83', '\\', '\n\t', '😀', 'A'],
    ],
    [`["say \\"hi\\""]`, ['say "hi"']],
  ])('%s', (text, expected) => {
    expect(parsePythonStringList(text)).toEqual(expected);
  });

  it.each([
    [`'a'`, 'expected "[" at character 1'],
    [`['a' 'b']`, 'expected "," or "]" at character 6'],
    [`['a', 1]`, 'expected a quoted string at character 7'],
    [`['a`, "expected the closing ' at character 4, found the end"],
    [`['\\q']`, 'expected a known escape'],
    [`['\\x4']`, 'expected 2 hex digits after \\x'],
    [`['a'] x`, 'expected nothing after "]" at character 7'],
    [`[u'a']`, 'expected a quoted string at character 2'],
  ])('refuses %s', (text, message) => {
    expect(() => parsePythonStringList(text)).toThrow(PythonLiteralError);
    expect(() => parsePythonStringList(text)).toThrow(message);
  });
});

describe('new importers read the raw files as they are', () => {
  it('TriviaQA: tab-separated, CSV quoting with doubled quotes, CRLF; every alias accepted', () => {
    const dev = file(
      'dev.txt',
      `Which sport?\t"['Boxing', 'The ""Noble"" art']"\r\n"""Quoted"" question?"\t['Q']\r\n`,
    );
    const output = run(importTriviaQa, {
      train: dev,
      test: file('test.txt', 'Who?\t"[\'Him\', ""Hi\'s""]"\r\n'),
    });
    expect(output.drafts.map((d) => [d.split, d.question, d.gold])).toEqual([
      ['train', 'Which sport?', ['Boxing', 'The "Noble" art']],
      ['train', '"Quoted" question?', ['Q']],
      ['test', 'Who?', ['Him', "Hi's"]],
    ]);
  });

  it('TriviaQA: a bad alias list names file, line and field', () => {
    const bad = file('dev.txt', "Ok?\t['a']\r\nBad?\t['a', b]\r\n");
    expect(() => run(importTriviaQa, { train: bad, test: bad })).toThrow(
      'dev.txt: line 2, field "answers": not a Python list of strings: expected a quoted string at character 7',
    );
    const noTab = file('dev.txt', "Ok?\t['a']\r\nNo tab here\r\n");
    expect(() => run(importTriviaQa, { train: noTab, test: noTab })).toThrow(
      /^dev\.txt: line 2: bad CSV row/,
    );
  });

  it('SQuAD: one example per question with its context, all answers; a bad record is located', () => {
    const squad = JSON.stringify({
      data: [
        {
          title: 'T',
          paragraphs: [
            {
              context: 'Paris is in France.',
              qas: [{ id: '1', question: 'Where?', answers: [{ text: 'France' }, { text: 'France' }] }],
            },
          ],
        },
      ],
    });
    const output = run(importSquad, { all: file('dev.json', squad) });
    expect(output.drafts).toEqual([
      expect.objectContaining({
        question: 'Context: Paris is in France.\n\nQuestion: Where?',
        gold: ['France', 'France'],
        location: 'data record 1, paragraph 1, question 1',
      }),
    ]);
    const broken = squad.replace('"answers":[{"text":"France"},', '"answers":[{"txt":"France"},');
    expect(() => run(importSquad, { all: file('dev.json', broken) })).toThrow(
      'dev.json: data record 1, paragraph 1, question 1, answer 1, field "text": missing',
    );
  });

  it('logic_grid_puzzle: the target must be the one choice scored 1', () => {
    const line = (scores: number[]) =>
      `${JSON.stringify({ inputs: 'Q: puzzle\n  choice: 1\n  choice: 2\nA:', targets: ['2'], multiple_choice_targets: ['1', '2'], multiple_choice_scores: scores })}\n`;
    expect(run(importLogicGridPuzzle, { all: file('lgp.jsonl', line([0, 1])) }).drafts[0]!.gold).toBe('2');
    expect(() => run(importLogicGridPuzzle, { all: file('lgp.jsonl', line([0, 1]) + line([1, 0])) })).toThrow(
      'lgp.jsonl: line 2, field "multiple_choice_scores": expected one-hot scores marking the target "2"',
    );
  });

  it('BBH option-text: the letter becomes its option text; a letter beyond the options fails', () => {
    const input = 'How many?\nOptions:\n(A) zero\n(B) one';
    const ok = JSON.stringify({ examples: [{ input, target: '(B)' }] });
    expect(run(bbhImporter('option-text'), { all: file('c.json', ok) }).drafts[0]!.gold).toBe('one');
    const bad = JSON.stringify({ examples: [{ input, target: '(C)' }] });
    expect(() => run(bbhImporter('option-text'), { all: file('c.json', bad) })).toThrow(
      'c.json: examples record 1, field "target": "(C)" is not the letter of one of the 2 options',
    );
  });
});

describe('protocol files are parsed strictly', () => {
  it('reads a system prompt, user prompts and the corpus', () => {
    expect(
      parseProtocolAsset(asset('system-prompt:default'), file('d.json', '{"prompt": "Be brief."}')),
    ).toEqual({
      kind: 'system-prompt',
      prompt: 'Be brief.',
    });
    expect(
      parseProtocolAsset(
        asset('user-prompts:ethos'),
        file('u.json', '["Is it hate? <Question>{question}</Question>"]'),
      ),
    ).toEqual({ kind: 'user-prompts', prompts: ['Is it hate? <Question>{question}</Question>'] });
    const csv = 'Prompt,Catagory,Comments\r\n"You are kind, and brief.",style,\r\nThink.,CoT,x\r\n';
    expect(parseProtocolAsset(asset('component-corpus'), file('c.csv', csv))).toEqual({
      kind: 'component-corpus',
      components: [
        { text: 'You are kind, and brief.', category: 'style' },
        { text: 'Think.', category: 'CoT' },
      ],
    });
  });

  it.each([
    ['system-prompt:service', '{"prompt": "x", "note": 1}', 's.json: field "note": unexpected field'],
    ['system-prompt:service', '{"text": "x"}', 's.json: record 1, field "prompt": missing'],
    [
      'user-prompts:pet',
      '["<Question>{question}</Question>", "no slot"]',
      's.json: record 2: expected "{question}" exactly once',
    ],
    [
      'user-prompts:pet',
      '["<Question>{question}</Question>", 3]',
      's.json: record 2: expected a string, got number',
    ],
    ['user-prompts:pet', '{"prompts": []}', 's.json: expected a JSON array of records'],
    [
      'component-corpus',
      'Prompt,Category,Comments\r\nx,y,\r\n',
      's.json: line 1: expected the header Prompt,Catagory,Comments',
    ],
    [
      'component-corpus',
      'Prompt,Catagory,Comments\r\nx,y,\r\n,style,\r\n',
      's.json: line 3, field "Prompt": empty component',
    ],
  ])('%s: %s', (id, content, message) => {
    expect(() => parseProtocolAsset(asset(id), file('s.json', content))).toThrow(message);
  });
});
