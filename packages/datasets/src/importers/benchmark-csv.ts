import { importError } from './errors.js';
import { type LoadedFile, parseCsvFile, textOf } from './parse.js';
import type { DraftExample, Importer } from './types.js';

type CsvRow = ReturnType<typeof parseCsvFile>[number];

function column(file: LoadedFile, row: CsvRow, field: string): string {
  const value = row.value[field];
  if (value === undefined) throw importError(file.name, row.location, field, 'missing column');
  return value;
}

function csvDrafts(
  file: LoadedFile,
  split: 'train' | 'test' | null,
  delimiter: string,
  fields: { question: string; gold: string },
  toGold: (value: string, row: CsvRow) => unknown,
): DraftExample[] {
  return parseCsvFile(file, delimiter).map((row) => ({
    file: file.name,
    location: row.location,
    goldField: fields.gold,
    split,
    question: column(file, row, fields.question),
    gold: toGold(column(file, row, fields.gold), row),
  }));
}

const output = (drafts: DraftExample[]) => ({ drafts, recordsRead: drafts.length, skipped: [] });

/** HateCheck: CRLF, an unnamed index column; label_gold hateful -> "yes", non-hateful -> "no". */
export const importHateCheck: Importer = (files) =>
  output(
    csvDrafts(files.get('all'), null, ',', { question: 'test_case', gold: 'label_gold' }, (label) =>
      label === 'hateful' ? 'yes' : label === 'non-hateful' ? 'no' : label,
    ),
  );

/** iSarcasmEval: train has `tweet`, the task A test file has `text`; sarcastic 0/1. */
export const importSarcasm: Importer = (files) =>
  output([
    ...csvDrafts(files.get('train'), 'train', ',', { question: 'tweet', gold: 'sarcastic' }, (v) => v),
    ...csvDrafts(files.get('test'), 'test', ',', { question: 'text', gold: 'sarcastic' }, (v) => v),
  ]);

/** Fraction of annotators who called a comment hate at or above which ETHOS counts it as hate. */
const ETHOS_HATE_THRESHOLD = 0.5;

/** ETHOS binary: `;`-separated, isHate a fraction of annotators. */
export const importEthos: Importer = (files) => {
  const file = files.get('all');
  return output(
    csvDrafts(file, null, ';', { question: 'comment', gold: 'isHate' }, (value, row) => {
      const fraction = Number(value);
      if (value.trim() === '' || !Number.isFinite(fraction) || fraction < 0 || fraction > 1) {
        throw importError(
          file.name,
          row.location,
          'isHate',
          `expected a fraction between 0 and 1, got "${value}"`,
        );
      }
      return fraction >= ETHOS_HATE_THRESHOLD ? 'yes' : 'no';
    }),
  );
};

function lines(file: LoadedFile): string[] {
  const all = textOf(file).split('\n');
  if (all.at(-1) === '') all.pop();
  return all.map((line) => line.replace(/\r$/, ''));
}

/**
 * TweetEval offensive: text and labels in separate files aligned by line, names from
 * mapping.txt. train + val make the train split, test the test split.
 */
export const importTweetEval: Importer = (files) => {
  const mappingFile = files.get('mapping');
  const mapping = new Map(
    lines(mappingFile).map((line, index) => {
      const [id, name] = line.split('\t');
      if (id === undefined || name === undefined)
        throw importError(mappingFile.name, `line ${index + 1}`, null, 'expected "id<TAB>name"');
      return [id, name];
    }),
  );
  const drafts: DraftExample[] = [];
  for (const part of ['train', 'val', 'test'] as const) {
    const textFile = files.get(`text:${part}`);
    const labelFile = files.get(`labels:${part}`);
    const texts = lines(textFile);
    const labels = lines(labelFile);
    if (texts.length !== labels.length) {
      throw importError(
        labelFile.name,
        null,
        null,
        `${labels.length} labels for ${texts.length} texts in ${textFile.name}`,
      );
    }
    texts.forEach((text, index) => {
      const name = mapping.get(labels[index]!.trim());
      if (name === undefined) {
        throw importError(
          labelFile.name,
          `line ${index + 1}`,
          'label',
          `"${labels[index]}" is not in ${mappingFile.name}`,
        );
      }
      drafts.push({
        file: textFile.name,
        location: `line ${index + 1}`,
        goldField: 'label',
        split: part === 'test' ? 'test' : 'train',
        question: text,
        gold: name === 'offensive' ? 'yes' : name === 'not-offensive' ? 'no' : name,
      });
    });
  }
  return output(drafts);
};
