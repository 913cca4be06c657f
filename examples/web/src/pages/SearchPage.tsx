import { useQuery } from '@apollo/client';
import { useEffect, useRef, useState } from 'react';
import { direction, formatPercent, formatPrice } from '../format';
import { SearchStocksDocument } from '../gql/graphql';

const PAGE_SIZE = 20;

function useDebounced<T>(value: T, ms: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** Stock search with infinite scroll over the `stocks` connection (Relay cursors). */
export function SearchPage() {
  const [text, setText] = useState('');
  const search = useDebounced(text.trim(), 250);
  const { data, loading, error, fetchMore } = useQuery(SearchStocksDocument, {
    variables: { first: PAGE_SIZE, filter: search ? { search } : null },
    notifyOnNetworkStatusChange: true,
  });
  const connection = data?.stocks;
  const sentinel = useRef<HTMLDivElement>(null);

  // Load the next page when the bottom of the list scrolls into view.
  useEffect(() => {
    const element = sentinel.current;
    if (!element || !connection?.pageInfo.hasNextPage || loading) return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((entry) => entry.isIntersecting)) {
        observer.disconnect();
        void fetchMore({ variables: { after: connection.pageInfo.endCursor } });
      }
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [connection?.pageInfo.endCursor, connection?.pageInfo.hasNextPage, loading, fetchMore]);

  return (
    <section className="card">
      <input
        className="search"
        type="search"
        placeholder="Search by symbol or name"
        value={text}
        onChange={(e) => setText(e.target.value)}
        aria-label="Search stocks"
      />
      {error && <p className="error" role="alert">{error.message}</p>}
      {connection && <p className="muted">{connection.totalCount} stocks</p>}
      <table className="stocks">
        <thead>
          <tr><th>Symbol</th><th>Name</th><th>Exchange</th><th className="num">Price</th><th className="num">Change</th></tr>
        </thead>
        <tbody>
          {connection?.edges.map(({ cursor, node }) => (
            <tr key={cursor} data-testid="stock-row">
              <td><a href={`#/stock/${encodeURIComponent(node.symbol)}`}>{node.symbol}</a></td>
              <td>{node.name}</td>
              <td>{node.exchange}</td>
              <td className="num">{formatPrice(node.quote?.price)}</td>
              <td className={`num ${direction(node.quote?.changePercent)}`}>{formatPercent(node.quote?.changePercent)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div ref={sentinel} className="sentinel">
        {loading ? 'Loading…' : connection?.pageInfo.hasNextPage ? '' : connection ? 'End of list' : ''}
      </div>
    </section>
  );
}
