import type { RunRecord } from '@metaspo/schemas';

/** The `<option>`s of a select whose values are shown as they are. */
export function ValueOptions({ values }: { values: readonly string[] }) {
  return values.map((value) => (
    <option key={value} value={value}>
      {value}
    </option>
  ));
}

/** The last characters of an id: the random part of a run id, enough to tell two runs apart. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(-8) : id;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD HH:MM` in local time: short enough for an option, precise enough to tell runs apart. */
function compactDate(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** How a run is named in a picker: two runs both called "demo" still read differently. */
export function runLabel(run: Pick<RunRecord, 'id' | 'name' | 'createdAt'>): string {
  return `${run.name ?? 'unnamed'} · ${compactDate(run.createdAt)} · ${shortId(run.id)}`;
}

/** The `<option>`s of a run select: the value is the run's id, the text its name, date and short id. */
export function RunOptions({ runs }: { runs: readonly RunRecord[] }) {
  return runs.map((run) => (
    <option key={run.id} value={run.id}>
      {runLabel(run)}
    </option>
  ));
}
