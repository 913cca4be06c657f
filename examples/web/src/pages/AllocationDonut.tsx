import { formatMoney } from '../format';

export interface Slice {
  key: string;
  value: number;
  weight: number;
}

const COLORS = ['#2563eb', '#16a34a', '#f59e0b', '#dc2626', '#7c3aed', '#0891b2', '#db2777', '#65a30d', '#ea580c', '#475569'];
const RADIUS = 60;
const CIRCUMFERENCE = 2 * Math.PI * RADIUS;

/**
 * The allocation as an SVG donut: one stroked circle per slice, its dash as long as its share of
 * the positive weights (a short position has a negative weight: it is listed in the legend, not drawn).
 */
export function AllocationDonut({ slices, currency }: { slices: readonly Slice[]; currency: string }) {
  const drawn = slices.filter((slice) => slice.weight > 0);
  const total = drawn.reduce((sum, slice) => sum + slice.weight, 0);
  let offset = 0;
  const arcs = drawn.map((slice, i) => {
    const length = total > 0 ? (slice.weight / total) * CIRCUMFERENCE : 0;
    const arc = { slice, length, offset, color: COLORS[i % COLORS.length]! };
    offset += length;
    return arc;
  });
  const color = (key: string) => arcs.find((arc) => arc.slice.key === key)?.color ?? '#cbd5e1';

  return (
    <div className="donut" data-testid="allocation-donut" data-slices={drawn.length}>
      <svg viewBox="0 0 160 160" width="160" height="160" role="img" aria-label="Allocation">
        <circle cx="80" cy="80" r={RADIUS} fill="none" stroke="#e2e8f0" strokeWidth="24" />
        {arcs.map((arc) => (
          <circle
            key={arc.slice.key}
            data-key={arc.slice.key}
            cx="80"
            cy="80"
            r={RADIUS}
            fill="none"
            stroke={arc.color}
            strokeWidth="24"
            strokeDasharray={`${arc.length} ${CIRCUMFERENCE - arc.length}`}
            strokeDashoffset={-arc.offset}
            transform="rotate(-90 80 80)"
          >
            <title>{`${arc.slice.key}: ${(arc.slice.weight * 100).toFixed(1)}%`}</title>
          </circle>
        ))}
      </svg>
      <ul className="legend">
        {slices.map((slice) => (
          <li key={slice.key} data-testid="allocation-slice">
            <span className="swatch" style={{ background: color(slice.key) }} />
            <span className="legend-key">{slice.key}</span>
            <span className="num">{(slice.weight * 100).toFixed(1)}%</span>
            <span className="num muted">{formatMoney(slice.value, currency)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
