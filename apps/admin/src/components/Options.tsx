import type { RunRecord } from '@metaspo/schemas';

/** The `<option>`s of a select whose values are shown as they are. */
export function ValueOptions({ values }: { values: readonly string[] }) {
  return values.map((value) => (
    <option key={value} value={value}>
      {value}
    </option>
  ));
}

/** The `<option>`s of a run select: the value is the run's id, the text its name when it has one. */
export function RunOptions({ runs }: { runs: readonly RunRecord[] }) {
  return runs.map((run) => (
    <option key={run.id} value={run.id}>
      {run.name ?? run.id}
    </option>
  ));
}
