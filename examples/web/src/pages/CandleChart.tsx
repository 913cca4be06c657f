import {
  CandlestickSeries,
  HistogramSeries,
  createChart,
  type CandlestickData,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';

export interface CandlePoint {
  timestamp: string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** The latest quote: each new one moves the last candle. */
export interface LiveTick {
  price: number;
  /** for DAY candles, the shares traded today so far */
  volume: number;
  timestamp: string;
}

type Bar = CandlestickData<UTCTimestamp> & { volume: number };

const volumeColor = (bar: { open: number; close: number }) => (bar.close >= bar.open ? '#bbf7d0' : '#fecaca');

/**
 * Folds a tick into the last bar: the same bar while the tick falls inside its period
 * (high/low stretch, close follows), a new bar at the start of a later period, nothing
 * for a tick older than the last bar (e.g. the quote of an earlier candle).
 */
export function foldTick(last: Bar, tick: LiveTick, periodSeconds: number): Bar | null {
  const at = Math.floor(Date.parse(tick.timestamp) / 1000);
  if (!Number.isFinite(at) || at < last.time) return null;
  const periods = Math.floor((at - last.time) / periodSeconds);
  if (periods === 0) {
    return { ...last, high: Math.max(last.high, tick.price), low: Math.min(last.low, tick.price), close: tick.price, volume: tick.volume };
  }
  const time = (last.time + periods * periodSeconds) as UTCTimestamp;
  return { time, open: tick.price, high: tick.price, low: tick.price, close: tick.price, volume: tick.volume };
}

/**
 * Candles with volume below, drawn by lightweight-charts (v5 API: chart.addSeries(CandlestickSeries)).
 * `live` moves the last candle (series.update, no redraw of the rest); the last candle is also
 * exposed as JSON in data-last-candle, for tests and tools.
 */
export function CandleChart({ candles, live, periodSeconds = 86_400 }: { candles: readonly CandlePoint[]; live?: LiveTick | null; periodSeconds?: number }) {
  const container = useRef<HTMLDivElement>(null);
  const series = useRef<{ price: ISeriesApi<'Candlestick'>; volume: ISeriesApi<'Histogram'> } | null>(null);
  const last = useRef<Bar | null>(null);
  const [lastBar, setLastBar] = useState<Bar | null>(null);

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
    const bars: Bar[] = candles.map((c) => ({
      time: Math.floor(Date.parse(c.timestamp) / 1000) as UTCTimestamp,
      open: c.open,
      high: c.high,
      low: c.low,
      close: c.close,
      volume: c.volume,
    }));
    price.setData(bars.map(({ volume: _, ...bar }) => bar));
    volume.setData(bars.map((bar) => ({ time: bar.time, value: bar.volume, color: volumeColor(bar) })));
    chart.timeScale().fitContent();
    series.current = { price, volume };
    last.current = bars.at(-1) ?? null;
    setLastBar(last.current);
    return () => {
      series.current = null;
      last.current = null;
      chart.remove();
    };
  }, [candles]);

  // After the chart effect (declared first), so a new chart gets the current tick folded in too; folding twice is harmless.
  useEffect(() => {
    const next = live && last.current && foldTick(last.current, live, periodSeconds);
    if (!next || !series.current) return;
    const { volume, ...bar } = next;
    series.current.price.update(bar);
    series.current.volume.update({ time: bar.time, value: volume, color: volumeColor(bar) });
    last.current = next;
    setLastBar(next);
  }, [candles, live?.price, live?.volume, live?.timestamp, periodSeconds]); // eslint-disable-line react-hooks/exhaustive-deps

  return <div ref={container} className="chart" data-testid="candle-chart" data-last-candle={lastBar ? JSON.stringify(lastBar) : undefined} />;
}
