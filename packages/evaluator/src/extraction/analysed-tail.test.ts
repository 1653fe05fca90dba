import { describe, expect, it } from 'vitest';
import { extractPrediction } from './extract.js';
import { analysedTail, MAX_ANALYSED_CHARS } from './limits.js';

const FREE_TEXT = { answerType: { kind: 'free-text' } } as const;
const LENIENT = { scoring: 'lenient' } as const;

/** A string of `length` UTF-16 units ending in `tail`, padded in front with `pad`. */
const endingIn = (tail: string, length: number, pad = 'x') => pad.repeat(length - tail.length) + tail;

describe('the 64 KiB analysed tail', () => {
  it('keeps a response of exactly the cap whole and cuts a longer one to the cap', () => {
    const atCap = endingIn('end', MAX_ANALYSED_CHARS);
    expect(analysedTail(atCap)).toBe(atCap);
    const longer = `head${atCap}`;
    expect(analysedTail(longer)).toBe(atCap);
  });

  it('never starts with the second half of a surrogate pair, whatever that half is', () => {
    // U+10000 is \ud800\udc00 and U+103FF is \ud800\udfff: the lowest and highest low halves.
    for (const astral of ['\u{10000}', '\u{103ff}', '😀']) {
      const body = 'y'.repeat(MAX_ANALYSED_CHARS - 1);
      // The cut falls between the two halves: the low half is dropped with its partner.
      const tail = analysedTail(`head${astral}${body}`);
      expect(tail).toBe(body);
    }
  });

  it('keeps a pair whole when the cut falls just before it, and plain text to the unit', () => {
    const body = `😀${'y'.repeat(MAX_ANALYSED_CHARS - 2)}`;
    expect(analysedTail(`head${body}`)).toBe(body);
    const plain = 'z'.repeat(MAX_ANALYSED_CHARS);
    expect(analysedTail(`h${plain}`)).toBe(plain);
    // Units above the low halves (U+E000 and up: fullwidth forms, U+FFFD) are whole characters.
    const fullwidth = 'ｚ'.repeat(MAX_ANALYSED_CHARS);
    expect(analysedTail(`h${fullwidth}`)).toBe(fullwidth);
  });

  it('is what a lenient free-text reading sees of a looping model', () => {
    const looped = `Answer: Paris\n${'and so on '.repeat(10_000)}`;
    const { prediction } = extractPrediction(looped, FREE_TEXT, LENIENT);
    expect(prediction).not.toContain('Paris');
    expect(prediction?.length).toBeLessThanOrEqual(MAX_ANALYSED_CHARS);
    expect(prediction?.length).toBeGreaterThan(MAX_ANALYSED_CHARS - 20);
  });
});
