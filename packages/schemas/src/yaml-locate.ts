import { type Document, isMap, isNode, LineCounter, parseDocument } from 'yaml';

/**
 * Maps a config issue's field path to the line of YAML text it is about. Imports only `yaml`
 * (no node modules), so the admin app's YAML editor and the optimizer's validation share it;
 * it is a subpath of its own so that `@metaspo/schemas` itself does not load `yaml`.
 */

/** A parsed YAML document with the positions of its lines. */
export interface LocatedYaml {
  doc: Document;
  lines: LineCounter;
}

export interface YamlSyntaxError {
  /** The parser's message, first line only, without its "at line L, column C" suffix. */
  message: string;
  line: number;
}

export type PathSegment = string | number;

/** Parses YAML keeping positions; syntax errors are in `doc.errors` (see `yamlSyntaxErrors`). */
export function parseLocatedYaml(text: string): LocatedYaml {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false }), lines };
}

export function yamlSyntaxErrors({ doc, lines }: LocatedYaml): YamlSyntaxError[] {
  return doc.errors.map((error) => ({
    message: (error.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?.*$/, ''),
    line: lines.linePos(error.pos[0]).line,
  }));
}

/** `"run.methods.2"` as `['run', 'methods', 2]`: digit-only segments index sequences. */
export function pathSegments(path: string): PathSegment[] {
  return path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

export interface LocateOptions {
  /**
   * The keys a top-level mapping may have. An issue whose path is not in the text (a strict
   * schema's unknown-key issue is about the root) then points at the first key not among them.
   */
  topLevelKeys?: ReadonlySet<string>;
}

function lineOfNode(node: unknown, lines: LineCounter): number | undefined {
  return isNode(node) && node.range ? lines.linePos(node.range[0]).line : undefined;
}

function unknownTopLevelKeyLine({ doc, lines }: LocatedYaml, known: ReadonlySet<string>): number | undefined {
  if (!isMap(doc.contents)) return undefined;
  for (const { key } of doc.contents.items) {
    if (isNode(key) && 'value' in key && !known.has(String(key.value))) return lineOfNode(key, lines);
  }
  return undefined;
}

/**
 * The line of the deepest node along `segments` that the text has (a missing field is reported
 * at its parent); failing that, of the first unknown top-level key, or of the document's start.
 */
export function lineOfSegments(
  source: LocatedYaml,
  segments: ReadonlyArray<PathSegment>,
  options: LocateOptions = {},
): number | undefined {
  for (let depth = segments.length; depth > 0; depth -= 1) {
    const line = lineOfNode(source.doc.getIn(segments.slice(0, depth), true), source.lines);
    if (line !== undefined) return line;
  }
  const unknownKey = options.topLevelKeys && unknownTopLevelKeyLine(source, options.topLevelKeys);
  return unknownKey || lineOfNode(source.doc.contents, source.lines);
}

/** Each issue with the line of its path (or its `segments`, when it has them) unless it has one. */
export function locateIssues<
  T extends { path: string; line?: number | undefined; segments?: ReadonlyArray<PathSegment> | undefined },
>(source: LocatedYaml, issues: ReadonlyArray<T>, options: LocateOptions = {}): T[] {
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const line = lineOfSegments(source, issue.segments ?? pathSegments(issue.path), options);
    return line === undefined ? issue : { ...issue, line };
  });
}
