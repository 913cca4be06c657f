-- Portfolio books (issue 10, part 1).
--
-- The init migration created placeholder tables for portfolios that nothing
-- ever wrote: a mutable positions_book keyed by (portfolio, symbol), a
-- cash_equity_book without currency or reason, orders whose statuses do not
-- match the Order contract. They hold no data, so they are dropped and
-- rebuilt as append-only ledgers (a correction is a new row, never an update)
-- rather than altered column by column. Only `portfolio` is kept and extended.

DROP TABLE "fills";
DROP TABLE "trade_execution_log";
DROP TABLE "orders";
DROP TABLE "pnl_book";
DROP TABLE "positions_book";
DROP TABLE "cash_equity_book";
DROP TYPE "order_status";

-- CreateEnum
CREATE TYPE "order_status" AS ENUM ('NEW', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'REJECTED');

-- CreateEnum
CREATE TYPE "time_in_force" AS ENUM ('DAY', 'GTC', 'IOC', 'FOK');

-- CreateEnum
CREATE TYPE "cash_reason" AS ENUM ('DEPOSIT', 'WITHDRAWAL', 'TRANSFER_IN', 'TRANSFER_OUT', 'TRADE', 'FEE', 'DIVIDEND', 'FX');

-- CreateEnum
CREATE TYPE "trade_source" AS ENUM ('RECORDED', 'IMPORTED', 'PAPER');

-- CreateEnum
CREATE TYPE "capital_operation" AS ENUM ('DEPOSIT', 'WITHDRAWAL', 'TRANSFER');

-- CreateEnum
CREATE TYPE "trading_event_type" AS ENUM ('PLACED', 'PARTIALLY_FILLED', 'FILLED', 'CANCELED', 'EXPIRED', 'REJECTED');

-- AlterTable
ALTER TABLE "portfolio" ADD COLUMN "allow_short" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "capital_request" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "idempotency_key" VARCHAR(100) NOT NULL,
    "operation" "capital_operation" NOT NULL,
    "arguments" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "capital_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cash_equity_book" (
    "id" BIGSERIAL NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "balance" DECIMAL(24,6) NOT NULL,
    "delta" DECIMAL(24,6) NOT NULL,
    "reason" "cash_reason" NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "trade_date" DATE NOT NULL,
    "request_id" UUID,
    "trade_id" BIGINT,

    CONSTRAINT "cash_equity_book_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "positions_book" (
    "id" BIGSERIAL NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "quantity" DECIMAL(24,6) NOT NULL,
    "average_cost" DECIMAL(24,6) NOT NULL,
    "cost_basis" DECIMAL(24,6) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "realized_pnl" DECIMAL(24,6) NOT NULL,
    "commission_paid" DECIMAL(24,6) NOT NULL,
    "trade_id" BIGINT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "positions_book_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trade_execution_log" (
    "id" BIGSERIAL NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "source" "trade_source" NOT NULL,
    "order_id" UUID,
    "fill_id" BIGINT,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "side" "order_side" NOT NULL,
    "quantity" DECIMAL(24,6) NOT NULL,
    "arrival_price" DECIMAL(20,6),
    "exec_price" DECIMAL(20,6) NOT NULL,
    "slippage_bps" DECIMAL(12,4),
    "notional" DECIMAL(24,6) NOT NULL,
    "notional_local" DECIMAL(24,6) NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "fx_rate" DECIMAL(24,10) NOT NULL,
    "commission" DECIMAL(24,6) NOT NULL DEFAULT 0,
    "executed_at" TIMESTAMPTZ(3) NOT NULL,
    "trade_date" DATE NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trade_execution_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pnl_book" (
    "id" BIGSERIAL NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "portfolio_value" DECIMAL(24,6) NOT NULL,
    "cash" DECIMAL(24,6) NOT NULL,
    "invested" DECIMAL(24,6) NOT NULL,
    "day_pnl" DECIMAL(24,6) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "pnl_book_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "client_order_id" VARCHAR(64),
    "stock_symbol" VARCHAR(10) NOT NULL,
    "side" "order_side" NOT NULL,
    "type" "order_type" NOT NULL,
    "quantity" DECIMAL(24,6) NOT NULL,
    "filled_quantity" DECIMAL(24,6) NOT NULL DEFAULT 0,
    "limit_price" DECIMAL(20,6),
    "stop_price" DECIMAL(20,6),
    "time_in_force" "time_in_force" NOT NULL DEFAULT 'DAY',
    "status" "order_status" NOT NULL DEFAULT 'NEW',
    "reject_reason" VARCHAR(200),
    "currency" CHAR(3) NOT NULL,
    "reserved_amount" DECIMAL(24,6) NOT NULL DEFAULT 0,
    "average_fill_price" DECIMAL(20,6),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fills" (
    "id" BIGSERIAL NOT NULL,
    "order_id" UUID NOT NULL,
    "quantity" DECIMAL(24,6) NOT NULL,
    "price" DECIMAL(20,6) NOT NULL,
    "commission" DECIMAL(24,6) NOT NULL DEFAULT 0,
    "slippage_bps" DECIMAL(12,4) NOT NULL DEFAULT 0,
    "tick_ts" TIMESTAMPTZ(3),
    "executed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fills_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "trading_events" (
    "id" BIGSERIAL NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "order_id" UUID,
    "type" "trading_event_type" NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trading_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "capital_request_account_id_idempotency_key_key" ON "capital_request"("account_id", "idempotency_key");

-- Latest row per portfolio and currency: within a portfolio rows are written
-- under the portfolio's row lock, so a higher id is a later entry.
-- CreateIndex
CREATE INDEX "cash_equity_book_portfolio_id_currency_id_idx" ON "cash_equity_book"("portfolio_id", "currency", "id" DESC);

-- CreateIndex
CREATE INDEX "cash_equity_book_portfolio_id_ts_idx" ON "cash_equity_book"("portfolio_id", "ts");

-- CreateIndex
CREATE INDEX "cash_equity_book_request_id_idx" ON "cash_equity_book"("request_id");

-- CreateIndex
CREATE INDEX "cash_equity_book_trade_id_idx" ON "cash_equity_book"("trade_id");

-- Latest row per portfolio and symbol (DISTINCT ON (stock_symbol) ... ORDER BY id DESC).
-- CreateIndex
CREATE INDEX "positions_book_portfolio_id_stock_symbol_id_idx" ON "positions_book"("portfolio_id", "stock_symbol", "id" DESC);

-- CreateIndex
CREATE INDEX "positions_book_stock_symbol_idx" ON "positions_book"("stock_symbol");

-- CreateIndex
CREATE INDEX "positions_book_trade_id_idx" ON "positions_book"("trade_id");

-- CreateIndex
CREATE INDEX "trade_execution_log_portfolio_id_id_idx" ON "trade_execution_log"("portfolio_id", "id" DESC);

-- CreateIndex
CREATE INDEX "trade_execution_log_portfolio_id_executed_at_idx" ON "trade_execution_log"("portfolio_id", "executed_at" DESC);

-- CreateIndex
CREATE INDEX "trade_execution_log_stock_symbol_idx" ON "trade_execution_log"("stock_symbol");

-- CreateIndex
CREATE INDEX "trade_execution_log_order_id_idx" ON "trade_execution_log"("order_id");

-- CreateIndex
CREATE INDEX "trade_execution_log_fill_id_idx" ON "trade_execution_log"("fill_id");

-- CreateIndex
CREATE UNIQUE INDEX "pnl_book_portfolio_id_date_key" ON "pnl_book"("portfolio_id", "date");

-- CreateIndex
CREATE UNIQUE INDEX "orders_portfolio_id_client_order_id_key" ON "orders"("portfolio_id", "client_order_id");

-- CreateIndex
CREATE INDEX "orders_portfolio_id_status_idx" ON "orders"("portfolio_id", "status");

-- CreateIndex
CREATE INDEX "orders_stock_symbol_status_idx" ON "orders"("stock_symbol", "status");

-- CreateIndex
CREATE INDEX "fills_order_id_idx" ON "fills"("order_id");

-- The same tick can never fill an order twice.
-- CreateIndex
CREATE UNIQUE INDEX "fills_order_id_tick_ts_key" ON "fills"("order_id", "tick_ts");

-- CreateIndex
CREATE INDEX "trading_events_portfolio_id_id_idx" ON "trading_events"("portfolio_id", "id" DESC);

-- CreateIndex
CREATE INDEX "trading_events_order_id_idx" ON "trading_events"("order_id");

-- AddForeignKey
ALTER TABLE "capital_request" ADD CONSTRAINT "capital_request_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cash_equity_book" ADD CONSTRAINT "cash_equity_book_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cash_equity_book" ADD CONSTRAINT "cash_equity_book_request_id_fkey" FOREIGN KEY ("request_id") REFERENCES "capital_request"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cash_equity_book" ADD CONSTRAINT "cash_equity_book_trade_id_fkey" FOREIGN KEY ("trade_id") REFERENCES "trade_execution_log"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions_book" ADD CONSTRAINT "positions_book_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions_book" ADD CONSTRAINT "positions_book_trade_id_fkey" FOREIGN KEY ("trade_id") REFERENCES "trade_execution_log"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_execution_log" ADD CONSTRAINT "trade_execution_log_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_execution_log" ADD CONSTRAINT "trade_execution_log_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_execution_log" ADD CONSTRAINT "trade_execution_log_fill_id_fkey" FOREIGN KEY ("fill_id") REFERENCES "fills"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pnl_book" ADD CONSTRAINT "pnl_book_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fills" ADD CONSTRAINT "fills_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trading_events" ADD CONSTRAINT "trading_events_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trading_events" ADD CONSTRAINT "trading_events_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;
