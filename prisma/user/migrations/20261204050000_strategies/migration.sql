-- Strategies (issue 13, part 6): a portfolio's enabled trading strategies and the
-- signals they fired. strategy_signal's unique (strategy_id, symbol, bar_ts) is what
-- makes a signal place at most one paper order, whichever process evaluates it.

-- AlterEnum
ALTER TYPE "trading_event_type" ADD VALUE 'SIGNAL_GENERATED';

-- CreateEnum
CREATE TYPE "strategy_kind" AS ENUM ('SMA_CROSSOVER', 'RSI_MEAN_REVERSION', 'FOLLOW_MODEL');

-- CreateTable
CREATE TABLE "strategy" (
    "id" UUID NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "kind" "strategy_kind" NOT NULL,
    "symbols" VARCHAR(10)[],
    "params" JSONB NOT NULL,
    "sizing" JSONB NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "disabled_at" TIMESTAMPTZ(3),

    CONSTRAINT "strategy_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "strategy_signal" (
    "id" UUID NOT NULL,
    "strategy_id" UUID NOT NULL,
    "symbol" VARCHAR(10) NOT NULL,
    "bar_ts" TIMESTAMPTZ(3) NOT NULL,
    "side" "order_side" NOT NULL,
    "order_id" UUID,
    "outcome" VARCHAR(300),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "strategy_signal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "strategy_portfolio_id_idx" ON "strategy"("portfolio_id");

-- CreateIndex
CREATE INDEX "strategy_enabled_idx" ON "strategy"("enabled");

-- CreateIndex
CREATE UNIQUE INDEX "strategy_signal_strategy_id_symbol_bar_ts_key" ON "strategy_signal"("strategy_id", "symbol", "bar_ts");

-- AddForeignKey
ALTER TABLE "strategy" ADD CONSTRAINT "strategy_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "strategy_signal" ADD CONSTRAINT "strategy_signal_strategy_id_fkey" FOREIGN KEY ("strategy_id") REFERENCES "strategy"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "strategy_signal" ADD CONSTRAINT "strategy_signal_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;
