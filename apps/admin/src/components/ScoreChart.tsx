import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { formatScore } from '../lib/format.js';
import { CHART_BACKGROUND, EMPHASIS_COLOUR, PALETTE } from './chart-palette.js';

export interface ChartSeries {
  key: string;
  label: string;
  emphasis?: boolean;
}

/**
 * Scores (0..1) per iteration as lines. `rows` hold `iteration` plus one numeric value per
 * series key; missing values leave a gap.
 */
export function ScoreChart({
  rows,
  series,
  title,
  simulated,
  xLabel = 'iteration',
}: {
  rows: Array<Record<string, number | null>>;
  series: ChartSeries[];
  title: string;
  simulated: boolean;
  xLabel?: string;
}) {
  if (rows.length === 0) return <p className="empty">No scores yet.</p>;
  return (
    <figure className="chart" aria-label={title} style={{ background: CHART_BACKGROUND }}>
      <figcaption>
        {title}
        {simulated && <span className="tag tag-simulated">simulated</span>}
      </figcaption>
      <ResponsiveContainer width="100%" height={280}>
        <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="iteration"
            allowDecimals={false}
            label={{ value: xLabel, position: 'insideBottom', offset: -4 }}
          />
          <YAxis domain={[0, 1]} tickFormatter={(v: number) => `${Math.round(v * 100)}%`} width={48} />
          <Tooltip formatter={(value) => (typeof value === 'number' ? formatScore(value) : String(value))} />
          <Legend verticalAlign="top" height={28} />
          {series.map((s, i) => (
            <Line
              key={s.key}
              type="linear"
              dataKey={s.key}
              name={s.label}
              stroke={s.emphasis ? EMPHASIS_COLOUR : PALETTE[i % PALETTE.length]!}
              strokeWidth={s.emphasis ? 3 : 1.5}
              dot={{ r: 3 }}
              connectNulls
              isAnimationActive={false}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}
