import { useMutation, useQuery } from '@apollo/client';
import { useState, type FormEvent } from 'react';
import { direction, formatMoney } from '../format';
import { CreatePortfolioDocument, DepositCashDocument, PortfoliosDocument, type PortfolioSummaryFragment } from '../gql/graphql';

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CHF', 'CAD', 'JPY'];

/** Deposits cash; the idempotency key is made once per attempt, so a retried request books nothing twice. */
export function DepositForm({ portfolio }: { portfolio: Pick<PortfolioSummaryFragment, 'id' | 'baseCurrency'> }) {
  const [amount, setAmount] = useState('');
  const [deposit, { loading, error }] = useMutation(DepositCashDocument);
  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await deposit({ variables: { input: { portfolioId: portfolio.id, amount: Number(amount), idempotencyKey: crypto.randomUUID() } } });
      setAmount('');
    } catch {
      // Shown below.
    }
  }
  return (
    <form onSubmit={submit} className="inline">
      <input
        type="number"
        min="0"
        step="any"
        placeholder={`Amount in ${portfolio.baseCurrency}`}
        value={amount}
        onChange={(e) => setAmount(e.target.value)}
        aria-label="Deposit amount"
        required
      />
      <button type="submit" disabled={loading}>Deposit</button>
      {error && <span className="error" role="alert">{error.message}</span>}
    </form>
  );
}

/** The signed-in user's portfolios: create one, fund it, open it. */
export function PortfoliosPage() {
  const { data, loading, error } = useQuery(PortfoliosDocument);
  const [create, createState] = useMutation(CreatePortfolioDocument, { refetchQueries: [PortfoliosDocument] });
  const [name, setName] = useState('');
  const [baseCurrency, setBaseCurrency] = useState('USD');

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await create({ variables: { input: { name: name.trim(), baseCurrency } } });
      setName('');
    } catch {
      // Shown below.
    }
  }

  return (
    <section>
      <form onSubmit={submit} className="card inline">
        <input placeholder="New portfolio name" value={name} onChange={(e) => setName(e.target.value)} aria-label="Portfolio name" required />
        <select value={baseCurrency} onChange={(e) => setBaseCurrency(e.target.value)} aria-label="Base currency">
          {CURRENCIES.map((c) => <option key={c} value={c}>{c}</option>)}
        </select>
        <button type="submit" className="primary" disabled={createState.loading}>Create portfolio</button>
        {createState.error && <span className="error" role="alert">{createState.error.message}</span>}
      </form>
      {error && <p className="error" role="alert">{error.message}</p>}
      {loading && !data && <p className="muted">Loading…</p>}
      {data?.portfolios.length === 0 && <p className="muted">No portfolios yet.</p>}
      {data?.portfolios.map((portfolio) => (
        <article key={portfolio.id} className="card" data-testid="portfolio-card">
          <div className="stock-head">
            <h2><a href={`#/portfolio/${encodeURIComponent(portfolio.id)}`}>{portfolio.name}</a></h2>
            <div className="quote">
              <div data-testid="portfolio-card-value">{formatMoney(portfolio.totalValue, portfolio.baseCurrency)}</div>
              <div className={direction(portfolio.dayChange)}>{formatMoney(portfolio.dayChange)} today</div>
            </div>
          </div>
          <p className="muted">Cash {formatMoney(portfolio.cash, portfolio.baseCurrency)}</p>
          <DepositForm portfolio={portfolio} />
        </article>
      ))}
    </section>
  );
}
