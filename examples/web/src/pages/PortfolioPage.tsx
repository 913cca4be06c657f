import { useApolloClient, useQuery, useSubscription } from '@apollo/client';
import { useState } from 'react';
import { direction, formatFraction, formatMoney, formatPercent, formatPrice, formatQuantity } from '../format';
import {
  OrderUpdatedDocument,
  PortfolioDetailDocument,
  PortfolioOrdersDocument,
  PortfolioPerformanceDocument,
  PortfolioValueUpdatedDocument,
  type AllocationBy,
  type PerformanceRange,
  type PortfolioDetailQuery,
} from '../gql/graphql';
import { AllocationDonut } from './AllocationDonut';
import { OrderList, OrderTicket } from './OrderTicket';
import { DepositForm } from './PortfoliosPage';
import { ValueChart } from './ValueChart';

const RANGES: [PerformanceRange, string][] = [
  ['ONE_WEEK', '1W'],
  ['ONE_MONTH', '1M'],
  ['THREE_MONTHS', '3M'],
  ['YTD', 'YTD'],
  ['ONE_YEAR', '1Y'],
  ['MAX', 'Max'],
];
const GROUPINGS: [AllocationBy, string][] = [
  ['SECTOR', 'Sector'],
  ['CURRENCY', 'Currency'],
  ['ASSET_CLASS', 'Asset class'],
];
const ORDERS_PAGE = 50;

type Portfolio = PortfolioDetailQuery['portfolio'];

function PositionsTable({ portfolio }: { portfolio: Portfolio }) {
  if (portfolio.positions.length === 0) return <p className="muted" data-testid="positions-empty">No positions yet.</p>;
  return (
    <table className="stocks" data-testid="positions">
      <thead>
        <tr>
          <th>Symbol</th><th className="num">Quantity</th><th className="num">Avg cost</th><th className="num">Price</th>
          <th className="num">Market value</th><th className="num">Unrealised P&amp;L</th><th className="num">Weight</th>
        </tr>
      </thead>
      <tbody>
        {portfolio.positions.map((position) => (
          <tr key={position.symbol} data-testid="position-row" data-symbol={position.symbol}>
            <td><a href={`#/stock/${encodeURIComponent(position.symbol)}`} title={position.stock?.name}>{position.symbol}</a></td>
            <td className="num" data-testid="position-quantity">{formatQuantity(position.quantity)}</td>
            <td className="num">{formatPrice(position.averageCost)} <span className="muted">{position.currency}</span></td>
            <td className="num">{formatPrice(position.price)}</td>
            <td className="num">{formatMoney(position.marketValue)}</td>
            <td className={`num ${direction(position.unrealizedPnl)}`}>
              {formatMoney(position.unrealizedPnl)} ({formatPercent(position.unrealizedPnlPercent)})
            </td>
            <td className="num">{(position.weight * 100).toFixed(1)}%</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Performance({ id, liveValue }: { id: string; liveValue: number }) {
  const [range, setRange] = useState<PerformanceRange>('ONE_MONTH');
  const { data, error, previousData } = useQuery(PortfolioPerformanceDocument, { variables: { id, range } });
  const performance = (data ?? previousData)?.portfolio.performance;
  return (
    <article className="card">
      <div className="stock-head">
        <h2>Value</h2>
        <div className="tabs" role="group" aria-label="Range">
          {RANGES.map(([value, label]) => (
            <button key={value} type="button" className={range === value ? 'active' : ''} onClick={() => setRange(value)}>{label}</button>
          ))}
        </div>
      </div>
      {error && <p className="error" role="alert">{error.message}</p>}
      <ValueChart series={performance?.series ?? []} live={liveValue} />
      <dl className="indicators" data-testid="returns">
        <div><dt>Time-weighted</dt><dd>{formatFraction(performance?.timeWeightedReturn)}</dd></div>
        <div><dt>Money-weighted (annual)</dt><dd>{formatFraction(performance?.moneyWeightedReturn)}</dd></div>
        <div><dt>Total</dt><dd>{formatFraction(performance?.totalReturn)}</dd></div>
        <div><dt>Benchmark (SPY)</dt><dd>{formatFraction(performance?.benchmarkReturn)}</dd></div>
      </dl>
    </article>
  );
}

/**
 * One portfolio: the header value moves with portfolioValueUpdated (written into the cached
 * Portfolio), the order rows with orderUpdated (the cached Orders, keyed by id); a fill refetches
 * positions, allocation and performance, which it changes.
 */
export function PortfolioPage({ id }: { id: string }) {
  const client = useApolloClient();
  const [allocationBy, setAllocationBy] = useState<AllocationBy>('SECTOR');
  const detail = useQuery(PortfolioDetailDocument, { variables: { id, allocationBy } });
  const orders = useQuery(PortfolioOrdersDocument, { variables: { id, first: ORDERS_PAGE } });
  // Another allocation grouping is a new query: keep showing (and subscribing for) the previous result meanwhile.
  const data = detail.data ?? detail.previousData;
  const found = Boolean(data?.portfolio);

  useSubscription(PortfolioValueUpdatedDocument, {
    variables: { portfolioId: id },
    skip: !found,
    onData: ({ data: result }) => {
      const value = result.data?.portfolioValueUpdated;
      if (!value) return;
      const cacheId = client.cache.identify({ __typename: 'Portfolio', id });
      const fields = client.cache.modify({
        id: cacheId,
        fields: { totalValue: () => value.totalValue, dayChange: () => value.dayChange },
      });
      if (!fields) return;
      // Prices moved: the positions' market values and weights did too (pushed at most once a second).
      void detail.refetch().catch(() => undefined);
    },
  });

  useSubscription(OrderUpdatedDocument, {
    variables: { portfolioId: id },
    skip: !found,
    onData: ({ data: result }) => {
      const order = result.data?.orderUpdated;
      if (!order) return;
      // The cache already holds the new state of a listed order; an order placed elsewhere needs the list again.
      const listed = orders.data?.portfolio.orders.edges.some((edge) => edge.node.id === order.id);
      if (!listed) void orders.refetch().catch(() => undefined);
      if (order.filledQuantity > 0) {
        void client.refetchQueries({ include: [PortfolioDetailDocument, PortfolioPerformanceDocument] }).catch(() => undefined);
      }
    },
  });

  if (detail.loading && !data) return <section className="card">Loading portfolio…</section>;
  if (detail.error && !data) return <section className="card error" role="alert">{detail.error.message}</section>;
  const portfolio = data?.portfolio;
  if (!portfolio) return <section className="card">No such portfolio.</section>;
  const currency = portfolio.baseCurrency;

  return (
    <section>
      <article className="card">
        <div className="stock-head">
          <div>
            <p className="muted"><a href="#/portfolios">Portfolios</a> /</p>
            <h1>{portfolio.name} <span className="muted">{currency}</span></h1>
            <p className="muted">
              Cash <span data-testid="portfolio-cash">{formatMoney(portfolio.cash, currency)}</span> · invested {formatMoney(portfolio.invested, currency)} ·
              realised P&amp;L {formatMoney(portfolio.realizedPnl, currency)}
            </p>
          </div>
          <div className="quote">
            <span className="price" data-testid="portfolio-value" data-value={portfolio.totalValue}>{formatMoney(portfolio.totalValue)}</span>{' '}
            <span className="muted">{currency}</span>
            <div className={direction(portfolio.dayChange)} data-testid="portfolio-day-change">{formatMoney(portfolio.dayChange)} today</div>
          </div>
        </div>
        <DepositForm portfolio={portfolio} />
      </article>

      <article className="card">
        <h2>Positions</h2>
        <PositionsTable portfolio={portfolio} />
      </article>

      <Performance id={id} liveValue={portfolio.totalValue} />

      <article className="card">
        <div className="stock-head">
          <h2>Allocation</h2>
          <div className="tabs" role="group" aria-label="Allocation by">
            {GROUPINGS.map(([value, label]) => (
              <button key={value} type="button" className={allocationBy === value ? 'active' : ''} onClick={() => setAllocationBy(value)}>{label}</button>
            ))}
          </div>
        </div>
        <AllocationDonut slices={portfolio.allocation} currency={currency} />
      </article>

      <article className="card">
        <h2>Order ticket</h2>
        <OrderTicket portfolioId={id} onPlaced={() => void orders.refetch().catch(() => undefined)} />
        <h2>Orders</h2>
        {orders.error && <p className="error" role="alert">{orders.error.message}</p>}
        <OrderList orders={orders.data?.portfolio.orders.edges.map((edge) => edge.node) ?? []} />
        {orders.data?.portfolio.orders.pageInfo.hasNextPage && (
          // relayStylePagination (typePolicies.ts) appends the next page to the cached list.
          <button
            type="button"
            disabled={orders.loading}
            onClick={() => void orders.fetchMore({ variables: { after: orders.data?.portfolio.orders.pageInfo.endCursor } }).catch(() => undefined)}
          >
            Older orders
          </button>
        )}
      </article>
    </section>
  );
}
