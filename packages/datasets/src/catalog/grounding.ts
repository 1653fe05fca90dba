import { importHotpotQa, importWebQuestions } from '../importers/benchmark-json.js';
import { importNqOpen } from '../importers/benchmark-jsonl.js';
import { type CatalogTask, defineTask } from './define.js';

const freeText = { kind: 'free-text' } as const;
const WEBQ = 'dataset-factoid-webquestions/main';

export const GROUNDING_TASKS: CatalogTask[] = [
  defineTask({
    id: 'natural_questions',
    domain: 'grounding',
    description: 'Natural Questions open (NQ-open dev): short answers to real search queries, closed book',
    intro: 'Answer the following question from what you know.',
    answerType: freeText,
    metric: 'exact-match',
    license: 'CC-BY-SA-3.0 (data); repository Apache-2.0',
    importerName: 'nq-open-jsonl',
    importer: importNqOpen,
    files: [['all', 'natural-questions/nq_open/NQ-open.dev.jsonl']],
  }),
  defineTask({
    id: 'web_qa',
    domain: 'grounding',
    description: 'WebQuestions (brmson factoid split): questions about Freebase entities, closed book',
    intro: 'Answer the following question about a real-world entity.',
    answerType: freeText,
    metric: 'exact-match',
    license: 'CC-BY-4.0',
    importerName: 'webquestions-json',
    importer: importWebQuestions,
    files: [
      ['train', `${WEBQ}/trainmodel.json`],
      ['train', `${WEBQ}/val.json`],
      ['train', `${WEBQ}/devtest.json`],
      ['test', `${WEBQ}/test.json`],
    ],
  }),
  defineTask({
    id: 'hotpot_qa',
    domain: 'grounding',
    description: 'HotpotQA dev (ReAct simplified): multi-hop questions, closed book (no passages)',
    intro: 'Answer the following question; it may need two facts put together.',
    answerType: freeText,
    metric: 'exact-match',
    license: 'MIT (ReAct); upstream HotpotQA CC-BY-SA-4.0',
    importerName: 'hotpotqa-json',
    importer: importHotpotQa,
    files: [['all', 'ReAct/data/hotpot_dev_v1_simplified.json']],
  }),
];
