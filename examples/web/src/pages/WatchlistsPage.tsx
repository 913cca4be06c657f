import { useMutation, useQuery, useSubscription } from '@apollo/client';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { direction, formatPercent, formatPrice } from '../format';
import {
  AddStockToCollectionDocument,
  CollectionsDocument,
  CreateCollectionDocument,
  PriceUpdatedDocument,
  type CollectionFieldsFragment,
} from '../gql/graphql';

interface LivePrice {
  price: number;
  change: number | null | undefined;
  changePercent: number | null | undefined;
  /** Counts ticks, so the same price arriving twice still flashes. */
  ticks: number;
}

/** A price that flashes (class "flash", 600 ms) on each tick. */
function PriceCell({ symbol, live, fallback }: { symbol: string; live?: LivePrice; fallback?: number | null }) {
  const [flash, setFlash] = useState<'' | 'flash-up' | 'flash-down'>('');
  const previous = useRef(live?.price);
  useEffect(() => {
    if (!live) return;
    const up = previous.current == null || live.price >= previous.current;
    previous.current = live.price;
    setFlash(up ? 'flash-up' : 'flash-down');
    const timer = setTimeout(() => setFlash(''), 600);
    return () => clearTimeout(timer);
  }, [live?.ticks]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <td className={`num price-cell ${flash ? `flash ${flash}` : ''}`} data-testid={`price-${symbol}`}>
      {formatPrice(live?.price ?? fallback)}
    </td>
  );
}

function AddStockForm({ collectionId }: { collectionId: string }) {
  const [symbol, setSymbol] = useState('');
  const [add, { loading, error }] = useMutation(AddStockToCollectionDocument);
  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await add({ variables: { collectionId, symbol: symbol.trim().toUpperCase() } });
      setSymbol('');
    } catch {
      // Shown below.
    }
  }
  return (
    <form onSubmit={submit} className="inline">
      <input placeholder="Symbol, e.g. AAPL" value={symbol} onChange={(e) => setSymbol(e.target.value)} aria-label="Symbol to add" required />
      <button type="submit" disabled={loading}>Add stock</button>
      {error && <span className="error" role="alert">{error.message}</span>}
    </form>
  );
}

function CollectionCard({ collection, live }: { collection: CollectionFieldsFragment; live: Record<string, LivePrice> }) {
  return (
    <article className="card" data-testid="collection">
      <h2>{collection.name}</h2>
      {collection.stocks.length === 0 ? (
        <p className="muted">No stocks yet.</p>
      ) : (
        <table className="stocks">
          <thead>
            <tr><th>Symbol</th><th>Name</th><th className="num">Price</th><th className="num">Change</th></tr>
          </thead>
          <tbody>
            {collection.stocks.map((stock) => {
              const tick = live[stock.symbol];
              const changePercent = tick ? tick.changePercent : stock.quote?.changePercent;
              return (
                <tr key={stock.symbol}>
                  <td><a href={`#/stock/${encodeURIComponent(stock.symbol)}`}>{stock.symbol}</a></td>
                  <td>{stock.name}</td>
                  <PriceCell symbol={stock.symbol} live={tick} fallback={stock.quote?.price} />
                  <td className={`num ${direction(changePercent)}`}>{formatPercent(changePercent)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <AddStockForm collectionId={collection.id} />
    </article>
  );
}

/** Watchlists with live prices: one priceUpdated subscription for every symbol on screen. */
export function WatchlistsPage() {
  const { data, loading, error } = useQuery(CollectionsDocument);
  const [create, createState] = useMutation(CreateCollectionDocument, { refetchQueries: [CollectionsDocument] });
  const [name, setName] = useState('');
  const [live, setLive] = useState<Record<string, LivePrice>>({});

  const symbols = useMemo(
    () => [...new Set(data?.collections.flatMap((c) => c.stocks.map((s) => s.symbol)) ?? [])].sort(),
    [data],
  );
  useSubscription(PriceUpdatedDocument, {
    variables: { symbols },
    skip: symbols.length === 0,
    onData: ({ data: result }) => {
      const tick = result.data?.priceUpdated;
      if (!tick) return;
      setLive((current) => ({
        ...current,
        [tick.symbol]: { price: tick.price, change: tick.change, changePercent: tick.changePercent, ticks: (current[tick.symbol]?.ticks ?? 0) + 1 },
      }));
    },
  });

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await create({ variables: { input: { name: name.trim(), symbols: [] } } });
      setName('');
    } catch {
      // Shown below.
    }
  }

  return (
    <section>
      <form onSubmit={submit} className="card inline">
        <input placeholder="New watchlist name" value={name} onChange={(e) => setName(e.target.value)} aria-label="Watchlist name" required />
        <button type="submit" className="primary" disabled={createState.loading}>Create watchlist</button>
        {createState.error && <span className="error" role="alert">{createState.error.message}</span>}
      </form>
      {error && <p className="error" role="alert">{error.message}</p>}
      {loading && !data && <p className="muted">Loading…</p>}
      {data?.collections.length === 0 && <p className="muted">No watchlists yet.</p>}
      {data?.collections.map((collection) => <CollectionCard key={collection.id} collection={collection} live={live} />)}
    </section>
  );
}
