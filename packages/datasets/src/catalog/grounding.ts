import { importHotpotQa, importWebQuestions } from '../importers/benchmark-json.js';
import { importNqOpen } from '../importers/benchmark-jsonl.js';
import { importSquad } from '../importers/squad.js';
import { importTriviaQa } from '../importers/trivia-qa.js';
import { type CatalogTask, defineTask } from './define.js';

const freeText = { kind: 'free-text' } as const;
const WEBQ = 'dataset-factoid-webquestions/main';
const DPR_TRIVIA = 'anserini-tools/topics/topics.dpr.trivia';

/**
 * Grounding tasks are bare-answer tasks, as in the reference: the whole reply is the answer
 * (its prompt ends "Respond with the answer only"), so scoring reads no <answer> tag.
 */
const bare = 'bare' as const;

export const GROUNDING_TASKS: CatalogTask[] = [
  defineTask({
    id: 'natural_questions',
    domain: 'grounding',
    description: 'Natural Questions open (NQ-open dev): short answers to real search queries, closed book',
    intro: 'Answer the following question from what you know.',
    answerType: freeText,
    answerFormat: bare,
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
    answerFormat: bare,
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
    answerFormat: bare,
    metric: 'exact-match',
    license: 'MIT (ReAct); upstream HotpotQA CC-BY-SA-4.0',
    importerName: 'hotpotqa-json',
    importer: importHotpotQa,
    files: [['all', 'ReAct/data/hotpot_dev_v1_simplified.json']],
  }),
  defineTask({
    id: 'squad',
    domain: 'grounding',
    description:
      'SQuAD v1.1 dev, flattened: each question carries its Wikipedia paragraph as context; every crowd answer is accepted',
    intro: 'Answer the following question based on the given context.',
    answerType: freeText,
    answerFormat: bare,
    metric: 'exact-match',
    license: 'CC-BY-SA-4.0 (data); repository MIT',
    importerName: 'squad-json',
    importer: importSquad,
    files: [['all', 'SQuAD-explorer/dataset/dev-v1.1.json']],
  }),
  defineTask({
    id: 'trivia_qa',
    domain: 'grounding',
    description:
      'TriviaQA open-domain (DPR split, closed book): a source split, train = the DPR dev list (taken from the original train set), test = the DPR test list (the original dev set); every alias is accepted',
    intro: 'Answer the following trivia question.',
    answerType: freeText,
    answerFormat: bare,
    metric: 'exact-match',
    license: 'TriviaQA data Apache-2.0; the anserini-tools repository states none',
    importerName: 'dpr-trivia-tsv',
    importer: importTriviaQa,
    files: [
      ['train', `${DPR_TRIVIA}.dev.txt`],
      ['test', `${DPR_TRIVIA}.test.txt`],
    ],
  }),
];
