import { CandlestickSeries, HistogramSeries, createChart, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef } from 'react';

export interface CandlePoint {
  timestamp: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Daily candles with volume below, drawn by lightweight-charts (v5 API: chart.addSeries(CandlestickSeries)). */
export function CandleChart({ candles }: { candles: readonly CandlePoint[] }) {
  const container = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!container.current) return;
    const chart = createChart(container.current, {
      autoSize: true,
      layout: { background: { color: '#ffffff' }, textColor: '#334155' },
      grid: { vertLines: { color: '#f1f5f9' }, horzLines: { color: '#f1f5f9' } },
      timeScale: { borderColor: '#cbd5e1' },
      rightPriceScale: { borderColor: '#cbd5e1' },
    });
    const price = chart.addSeries(CandlestickSeries, {
      upColor: '#16a34a',
      downColor: '#dc2626',
      wickUpColor: '#16a34a',
      wickDownColor: '#dc2626',
      borderVisible: false,
    });
    const volume = chart.addSeries(HistogramSeries, { priceScaleId: 'volume', priceFormat: { type: 'volume' }, color: '#cbd5e1' });
    chart.priceScale('volume').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    price.priceScale().applyOptions({ scaleMargins: { top: 0.05, bottom: 0.25 } });

    // Oldest first, one per time: what lightweight-charts requires.
    const time = (c: CandlePoint) => Math.floor(Date.parse(c.timestamp) / 1000) as UTCTimestamp;
    price.setData(candles.map((c) => ({ time: time(c), open: c.open, high: c.high, low: c.low, close: c.close })));
    volume.setData(candles.map((c) => ({ time: time(c), value: c.volume, color: c.close >= c.open ? '#bbf7d0' : '#fecaca' })));
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [candles]);

  return <div ref={container} className="chart" data-testid="candle-chart" />;
}
