import { useQuery, useSubscription } from '@apollo/client';
import { direction, formatPercent, formatPrice } from '../format';
import { IndicatorUpdatedDocument, PriceUpdatedDocument, StockDetailDocument } from '../gql/graphql';
import { CandleChart } from './CandleChart';

function value(v: number | null | undefined, digits = 2): string {
  return v == null ? 'n/a' : v.toFixed(digits);
}

/**
 * A stock with its live price, chart and indicators. priceUpdated returns Quote, keyed by symbol
 * in the cache (typePolicies.ts): each tick rewrites the Quote that StockDetail's `stock.quote`
 * points at, so this component re-renders from the query with no copy of the tick in state.
 */
export function StockPage({ symbol }: { symbol: string }) {
  const { data, loading, error } = useQuery(StockDetailDocument, { variables: { symbol } });
  const listed = Boolean(data?.stock);
  useSubscription(PriceUpdatedDocument, { variables: { symbols: [symbol] }, skip: !listed });
  // The latest point at once, then each run of the indicator job.
  const liveIndicators = useSubscription(IndicatorUpdatedDocument, { variables: { symbol }, skip: !listed });

  if (loading && !data) return <section className="card">Loading {symbol}…</section>;
  if (error) return <section className="card error" role="alert">{error.message}</section>;
  const stock = data?.stock;
  if (!stock) return <section className="card">{symbol} is not listed.</section>;
  const indicators = liveIndicators.data?.indicatorUpdated ?? stock.indicators;
  const quote = stock.quote;

  return (
    <section className="card">
      <div className="stock-head">
        <div>
          <h1>{stock.symbol} <span className="muted">{stock.name}</span></h1>
          <p className="muted">{stock.exchange} · {stock.sector} · {stock.industry}</p>
        </div>
        <div className="quote">
          <span className="price" data-testid="stock-price">{formatPrice(quote?.price)}</span>{' '}
          <span className="muted">{stock.currency}</span>
          <div className={direction(quote?.change)} data-testid="stock-change">
            {formatPrice(quote?.change)} ({formatPercent(quote?.changePercent)})
          </div>
        </div>
      </div>
      {stock.candles.length > 0 ? <CandleChart candles={stock.candles} live={quote} /> : <p className="muted">No candles yet.</p>}
      <h2>Indicators</h2>
      {indicators ? (
        <dl className="indicators" data-testid="indicators" data-as-of={indicators.timestamp}>
          <div><dt>RSI 14</dt><dd>{value(indicators.rsi14, 1)}</dd></div>
          <div><dt>SMA 20</dt><dd>{value(indicators.sma20)}</dd></div>
          <div><dt>SMA 50</dt><dd>{value(indicators.sma50)}</dd></div>
          <div><dt>MACD</dt><dd>{value(indicators.macd?.macd, 3)}</dd></div>
          <div><dt>Signal</dt><dd>{value(indicators.macd?.signal, 3)}</dd></div>
          <div><dt>As of</dt><dd>{new Date(indicators.timestamp).toLocaleString()}</dd></div>
        </dl>
      ) : (
        <p className="muted" data-testid="indicators">Not computed yet (the indicators job runs every 5 minutes).</p>
      )}
    </section>
  );
}
