import type { ConfigIssue } from '@metaspo/schemas';

/** A path into the config, as an issue names it. */
export type Segment = string | number;

export interface PreflightFindings {
  issues: ConfigIssue[];
  warnings: ConfigIssue[];
}

export function issueAt(segments: Segment[], message: string, hint?: string): ConfigIssue {
  return { path: segments.join('.'), segments, message, ...(hint ? { hint } : {}) };
}
