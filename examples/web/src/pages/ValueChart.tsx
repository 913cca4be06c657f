import { AreaSeries, createChart, type IChartApi, type ISeriesApi } from 'lightweight-charts';
import { useEffect, useRef } from 'react';

export interface ValuePoint {
  /** YYYY-MM-DD (New York trade date) */
  date: string;
  value: number;
}

/**
 * The portfolio's value per day as an area series (lightweight-charts v5: chart.addSeries(AreaSeries)).
 * The chart is made once; a new series (another range, a refetch after a fill) replaces its data.
 * The series ends today with the live valuation, so `live` (the value portfolioValueUpdated pushed)
 * moves that last point. data-points and data-last-value say what it shows, for tests and tools.
 */
export function ValueChart({ series, live }: { series: readonly ValuePoint[]; live?: number | null }) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<{ chart: IChartApi; area: ISeriesApi<'Area'> } | null>(null);

  useEffect(() => {
    if (!container.current) return;
    const instance = createChart(container.current, {
      autoSize: true,
      layout: { background: { color: '#ffffff' }, textColor: '#334155' },
      grid: { vertLines: { color: '#f1f5f9' }, horzLines: { color: '#f1f5f9' } },
      timeScale: { borderColor: '#cbd5e1' },
      rightPriceScale: { borderColor: '#cbd5e1' },
    });
    const area = instance.addSeries(AreaSeries, { lineColor: '#2563eb', topColor: 'rgba(37, 99, 235, 0.3)', bottomColor: 'rgba(37, 99, 235, 0.02)', lineWidth: 2 });
    chart.current = { chart: instance, area };
    return () => {
      chart.current = null;
      instance.remove();
    };
  }, []);

  useEffect(() => {
    if (!chart.current) return;
    // Oldest first, one point per date: what lightweight-charts requires (business-day strings are valid times).
    const byDate = new Map(series.map((point) => [point.date, point.value]));
    const data = [...byDate].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([time, value]) => ({ time, value }));
    chart.current.area.setData(data);
    chart.current.chart.timeScale().fitContent();
  }, [series]);

  const last = series.at(-1);
  // After the data effect (declared first), so new data gets the live value folded in too.
  useEffect(() => {
    if (chart.current && last && live != null) chart.current.area.update({ time: last.date, value: live });
  }, [series, live]); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <div
      ref={container}
      className="chart value-chart"
      data-testid="value-chart"
      data-points={series.length}
      data-last-value={last ? String(live ?? last.value) : undefined}
    />
  );
}
