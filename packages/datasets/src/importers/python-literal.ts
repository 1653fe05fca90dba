/**
 * A strict reader for a Python list of string literals (`['a', "b's", 'c\'d']`), as written by
 * Python's `repr` of a list of str: single- or double-quoted strings with backslash escapes,
 * separated by commas. Anything else (numbers, nesting, string prefixes, implicit
 * concatenation) is refused, so a file that is not what it claims to be fails loudly.
 */

export class PythonLiteralError extends Error {}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\u0007',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

class Reader {
  position = 0;
  constructor(readonly text: string) {}

  fail(expected: string): never {
    const found = this.position < this.text.length ? JSON.stringify(this.text[this.position]) : 'the end';
    throw new PythonLiteralError(`expected ${expected} at character ${this.position + 1}, found ${found}`);
  }

  skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position += 1;
  }

  peek(): string | undefined {
    return this.text[this.position];
  }

  escape(): string {
    const code = this.text[this.position];
    if (code === undefined) this.fail('an escape character');
    this.position += 1;
    const simple = SIMPLE_ESCAPES[code];
    if (simple !== undefined) return simple;
    if (code === '\n') return '';
    const digits = HEX_ESCAPES[code];
    if (digits !== undefined) {
      const hex = this.text.slice(this.position, this.position + digits);
      if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex))
        this.fail(`${digits} hex digits after \\${code}`);
      this.position += digits;
      const point = Number.parseInt(hex, 16);
      if (point > 0x10ffff) this.fail('a code point up to \\U0010ffff');
      return String.fromCodePoint(point);
    }
    if (/[0-7]/.test(code)) {
      let octal = code;
      while (octal.length < 3 && /[0-7]/.test(this.peek() ?? '')) octal += this.text[this.position++];
      return String.fromCodePoint(Number.parseInt(octal, 8));
    }
    this.position -= 1;
    return this.fail('a known escape (\\\\, \\\', \\", \\n, \\t, \\xhh, \\uhhhh, ...)');
  }

  string(): string {
    const quote = this.peek();
    if (quote !== "'" && quote !== '"') this.fail('a quoted string');
    this.position += 1;
    let value = '';
    for (;;) {
      const char = this.text[this.position];
      if (char === undefined || char === '\n') this.fail(`the closing ${quote}`);
      this.position += 1;
      if (char === quote) return value;
      value += char === '\\' ? this.escape() : char;
    }
  }
}

/** The strings of a Python list literal; throws PythonLiteralError naming the character. */
export function parsePythonStringList(text: string): string[] {
  const reader = new Reader(text);
  reader.skipSpace();
  if (reader.peek() !== '[') reader.fail('"["');
  reader.position += 1;
  const values: string[] = [];
  for (;;) {
    reader.skipSpace();
    if (reader.peek() === ']') break;
    values.push(reader.string());
    reader.skipSpace();
    if (reader.peek() === ',') {
      reader.position += 1;
      continue;
    }
    if (reader.peek() !== ']') reader.fail('"," or "]"');
  }
  reader.position += 1;
  reader.skipSpace();
  if (reader.position !== text.length) reader.fail('nothing after "]"');
  return values;
}
