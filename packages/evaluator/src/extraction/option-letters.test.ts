import type { Example } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { extractPrediction } from './extract.js';

/** Lenient option reading: the letter forms models write, and what must not count as a letter. */
const lenientOption = (response: string, optionCount = 4, example?: Pick<Example, 'options'>) =>
  extractPrediction(
    response,
    { answerType: { kind: 'option', optionCount } },
    { scoring: 'lenient', example },
  ).prediction;

describe('marked letter forms inside prose', () => {
  it('reads a parenthesised letter with spaces inside the brackets', () => {
    expect(lenientOption('I would go with ( b ) here')).toBe('B');
    expect(lenientOption('Going with (c ) now')).toBe('C');
  });

  it('reads "c)" after a space but not the end of a word', () => {
    expect(lenientOption('We pick c) because it fits.')).toBe('C');
    expect(lenientOption('see the abc) list')).toBeNull();
  });

  it('reads "option c" followed by a space or two spaces before the letter', () => {
    expect(lenientOption('We pick option c today.')).toBe('C');
    expect(lenientOption('We pick option  c today.')).toBe('C');
    expect(lenientOption('We pick option cats today.')).toBeNull();
  });

  it('reads a lowercase letter after "Answer:" whatever the spacing and punctuation after it', () => {
    expect(lenientOption('Answer:d')).toBe('D');
    expect(lenientOption('Answer : d')).toBe('D');
    expect(lenientOption('Answer: d, since it fits')).toBe('D');
  });

  it('reads a marked A before a lowercase word: the mark says it is an option', () => {
    expect(lenientOption('I choose option A because it fits')).toBe('A');
  });

  it('places a letter at itself, so an answer cue points at it rather than at a later letter', () => {
    expect(lenientOption('Answer: b, though (c) was tempting')).toBe('B');
  });
});

describe('capital A and I, which are also English words', () => {
  it('reads other capitals before a lowercase word', () => {
    expect(lenientOption('B because the rest are wrong')).toBe('B');
  });

  it('reads A before a word about an option, for every such word', () => {
    for (const verb of ['is', 'was', 'seems', 'appears', 'fits', 'matches', 'looks', 'would']) {
      expect(lenientOption(`A ${verb} the one`), verb).toBe('A');
    }
  });

  it('reads A at the end, or before punctuation and a lowercase word', () => {
    expect(lenientOption('The best fit is A.')).toBe('A');
    expect(lenientOption('Clearly A, no doubt.')).toBe('A');
  });

  it('does not read A as an article, even after two spaces', () => {
    expect(lenientOption('A  cat')).toBeNull();
  });

  it('never reads I before a lowercase word when I is an option, not even "I is"', () => {
    expect(lenientOption('I think so', 10)).toBeNull();
    expect(lenientOption('I is right', 10)).toBeNull();
    expect(lenientOption('The answer is I.', 10)).toBe('I');
  });
});

describe('a whole answer', () => {
  it('reads a lowercase letter wrapped in markdown or quotes, and only as the whole answer', () => {
    expect(lenientOption('<answer>**b**</answer>')).toBe('B');
    expect(lenientOption('<answer>"c."</answer>')).toBe('C');
    expect(lenientOption('<answer>  `d`;</answer>')).toBe('D');
    expect(lenientOption('<answer>I pick b</answer>')).toBeNull();
  });
});

describe('an option named by its text', () => {
  it('matches an option equal once normalised, articles and punctuation aside', () => {
    const example = { options: ['The Nile', 'The Amazon', 'The Danube', 'The Volga'] };
    expect(lenientOption('<answer>nile</answer>', 4, example)).toBe('A');
  });

  it('never matches an option whose text normalises to nothing', () => {
    const example = { options: ['a', 'Lyon', 'Paris', 'Nice'] };
    expect(lenientOption('Lyon, a city in France', 4, example)).toBe('B');
  });

  it('ignores options past the task option count', () => {
    const example = { options: ['Paris', 'Lyon', 'Nice', 'Metz', 'Brest'] };
    expect(lenientOption('<answer>Brest</answer>', 4, example)).toBeNull();
    expect(lenientOption('<answer>Metz</answer>', 4, example)).toBe('D');
  });

  it('finds an option written with a trailing period inside prose', () => {
    const example = { options: ['Paris.', 'Lyon.', 'Nice.', 'Metz.'] };
    expect(lenientOption('It is clearly Lyon here', 4, example)).toBe('B');
  });
});
