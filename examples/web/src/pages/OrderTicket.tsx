import { useMutation } from '@apollo/client';
import { useState, type FormEvent } from 'react';
import { formatPrice, formatQuantity } from '../format';
import {
  CancelOrderDocument,
  PlaceOrderDocument,
  type OrderRowFragment,
  type OrderSide,
  type OrderType,
  type TimeInForce,
} from '../gql/graphql';

const OPEN = new Set(['NEW', 'PARTIALLY_FILLED']);

/**
 * Places a paper order. The clientOrderId is made per attempt, so a retried request places one
 * order. A refusal (INSUFFICIENT_FUNDS, INSUFFICIENT_POSITION, BAD_USER_INPUT) shows the server's message.
 */
export function OrderTicket({ portfolioId, onPlaced }: { portfolioId: string; onPlaced: () => void }) {
  const [symbol, setSymbol] = useState('');
  const [side, setSide] = useState<OrderSide>('BUY');
  const [quantity, setQuantity] = useState('');
  const [type, setType] = useState<OrderType>('MARKET');
  const [limitPrice, setLimitPrice] = useState('');
  const [timeInForce, setTimeInForce] = useState<TimeInForce>('DAY');
  const [place, { loading, error, reset }] = useMutation(PlaceOrderDocument);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      await place({
        variables: {
          input: {
            portfolioId,
            symbol: symbol.trim().toUpperCase(),
            side,
            quantity: Number(quantity),
            type,
            limitPrice: type === 'LIMIT' ? Number(limitPrice) : null,
            timeInForce,
            clientOrderId: crypto.randomUUID(),
          },
        },
      });
      setQuantity('');
      onPlaced();
    } catch {
      // Shown below.
    }
  }

  return (
    <form onSubmit={submit} className="ticket" data-testid="order-ticket" onChange={() => error && reset()}>
      <label>Symbol<input value={symbol} onChange={(e) => setSymbol(e.target.value)} placeholder="AAPL" aria-label="Order symbol" required /></label>
      <label>Side
        <select value={side} onChange={(e) => setSide(e.target.value as OrderSide)} aria-label="Order side">
          <option value="BUY">Buy</option>
          <option value="SELL">Sell</option>
        </select>
      </label>
      <label>Quantity<input type="number" min="0" step="any" value={quantity} onChange={(e) => setQuantity(e.target.value)} aria-label="Order quantity" required /></label>
      <label>Type
        <select value={type} onChange={(e) => setType(e.target.value as OrderType)} aria-label="Order type">
          <option value="MARKET">Market</option>
          <option value="LIMIT">Limit</option>
        </select>
      </label>
      {type === 'LIMIT' && (
        <label>Limit price<input type="number" min="0" step="any" value={limitPrice} onChange={(e) => setLimitPrice(e.target.value)} aria-label="Limit price" required /></label>
      )}
      <label>Time in force
        <select value={timeInForce} onChange={(e) => setTimeInForce(e.target.value as TimeInForce)} aria-label="Time in force">
          <option value="DAY">Day</option>
          <option value="GTC">Good till canceled</option>
          <option value="IOC">Immediate or cancel</option>
          <option value="FOK">Fill or kill</option>
        </select>
      </label>
      <button type="submit" className="primary" disabled={loading}>Place order</button>
      {error && <p className="error" role="alert" data-testid="order-error">{error.message}</p>}
    </form>
  );
}

function CancelButton({ order }: { order: OrderRowFragment }) {
  // The returned Order (same id) rewrites the cached row; orderUpdated would too.
  const [cancel, { loading, error }] = useMutation(CancelOrderDocument, { variables: { id: order.id } });
  return (
    <>
      <button type="button" disabled={loading} onClick={() => void cancel().catch(() => undefined)}>Cancel</button>
      {error && <span className="error" role="alert">{error.message}</span>}
    </>
  );
}

/** The orders, newest first; each row is the cached Order, so orderUpdated moves it live. */
export function OrderList({ orders }: { orders: readonly OrderRowFragment[] }) {
  if (orders.length === 0) return <p className="muted">No orders yet.</p>;
  return (
    <table className="stocks orders">
      <thead>
        <tr>
          <th>Placed</th><th>Symbol</th><th>Side</th><th>Type</th><th className="num">Quantity</th><th className="num">Filled</th>
          <th className="num">Avg fill</th><th>TIF</th><th>Status</th><th />
        </tr>
      </thead>
      <tbody>
        {orders.map((order) => (
          <tr key={order.id} data-testid="order-row" data-order-id={order.id} data-status={order.status}>
            <td>{new Date(order.createdAt).toLocaleTimeString()}</td>
            <td>{order.symbol}</td>
            <td>{order.side}</td>
            <td>{order.type}{order.limitPrice != null ? ` @ ${formatPrice(order.limitPrice)}` : ''}</td>
            <td className="num">{formatQuantity(order.quantity)}</td>
            <td className="num" data-testid="order-filled">{formatQuantity(order.filledQuantity)}</td>
            <td className="num" data-testid="order-avg-price">{formatPrice(order.averageFillPrice)}</td>
            <td>{order.timeInForce}</td>
            <td data-testid="order-status" title={order.rejectReason ?? undefined}>
              {order.status}
              {order.rejectReason && <div className="muted small">{order.rejectReason}</div>}
            </td>
            <td>{OPEN.has(order.status) && <CancelButton order={order} />}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
