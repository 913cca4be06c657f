-- Paper orders (issue 10, parts 5, 6): what the matching engine needs beyond the first slice's orders table.
--
-- stop_triggered_at: when a STOP / STOP_LIMIT order's stop was touched; from then on it behaves
-- as a market / limit order, even if the price moves back.
-- expires_at: the New York close of the session a DAY order is for (null for GTC, IOC, FOK);
-- the quotes job expires open orders whose expires_at has passed.
-- arrival_price: the last price when the order was accepted (slippage and reservations are
-- measured from it).

-- AlterTable
ALTER TABLE "orders" ADD COLUMN "stop_triggered_at" TIMESTAMPTZ(3),
ADD COLUMN "expires_at" TIMESTAMPTZ(3),
ADD COLUMN "arrival_price" DECIMAL(20,6);

-- CreateIndex
CREATE INDEX "orders_status_expires_at_idx" ON "orders"("status", "expires_at");
