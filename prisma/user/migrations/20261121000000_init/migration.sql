-- CreateEnum
CREATE TYPE "account_role" AS ENUM ('USER', 'ADMIN');

-- CreateEnum
CREATE TYPE "subscription_tier" AS ENUM ('FREE', 'PRO');

-- CreateEnum
CREATE TYPE "order_side" AS ENUM ('BUY', 'SELL');

-- CreateEnum
CREATE TYPE "order_type" AS ENUM ('MARKET', 'LIMIT', 'STOP', 'STOP_LIMIT');

-- CreateEnum
CREATE TYPE "order_status" AS ENUM ('PENDING', 'OPEN', 'PARTIALLY_FILLED', 'FILLED', 'CANCELLED', 'REJECTED');

-- CreateTable
CREATE TABLE "account" (
    "id" UUID NOT NULL,
    "email" VARCHAR(254) NOT NULL,
    "password_hash" VARCHAR(255) NOT NULL,
    "full_name" VARCHAR(200) NOT NULL,
    "role" "account_role" NOT NULL DEFAULT 'USER',
    "tier" "subscription_tier" NOT NULL DEFAULT 'FREE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "refresh_token" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "family_id" UUID NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "revoked_at" TIMESTAMPTZ(3),
    "replaced_by_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "refresh_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "custom_collection" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "custom_collection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "custom_collection_stock" (
    "collection_id" UUID NOT NULL,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,
    "added_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "custom_collection_stock_pkey" PRIMARY KEY ("collection_id","stock_symbol")
);

-- CreateTable
CREATE TABLE "custom_screener" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(1000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "custom_screener_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "custom_screener_numeric" (
    "id" UUID NOT NULL,
    "screener_id" UUID NOT NULL,
    "numeric_filter_id" INTEGER NOT NULL,
    "min" DECIMAL(24,6),
    "max" DECIMAL(24,6),
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "custom_screener_numeric_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "custom_screener_categorical" (
    "id" UUID NOT NULL,
    "screener_id" UUID NOT NULL,
    "categorical_filter_id" INTEGER NOT NULL,
    "values" TEXT[],
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "custom_screener_categorical_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "user_stock_potential" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "target_price" DECIMAL(18,6),
    "note" VARCHAR(2000),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "user_stock_potential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "portfolio" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "base_currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "portfolio_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cash_equity_book" (
    "id" BIGSERIAL NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "cash" DECIMAL(20,4) NOT NULL,
    "equity" DECIMAL(20,4) NOT NULL,

    CONSTRAINT "cash_equity_book_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "positions_book" (
    "portfolio_id" UUID NOT NULL,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,
    "avg_cost" DECIMAL(18,6) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "positions_book_pkey" PRIMARY KEY ("portfolio_id","stock_symbol")
);

-- CreateTable
CREATE TABLE "trade_execution_log" (
    "id" BIGSERIAL NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "order_id" UUID,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "side" "order_side" NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,
    "price" DECIMAL(18,6) NOT NULL,
    "fees" DECIMAL(18,6) NOT NULL DEFAULT 0,
    "executed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "trade_execution_log_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "pnl_book" (
    "id" BIGSERIAL NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "date" DATE NOT NULL,
    "realized" DECIMAL(20,4) NOT NULL,
    "unrealized" DECIMAL(20,4) NOT NULL,

    CONSTRAINT "pnl_book_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "orders" (
    "id" UUID NOT NULL,
    "portfolio_id" UUID NOT NULL,
    "stock_symbol" VARCHAR(10) NOT NULL,
    "side" "order_side" NOT NULL,
    "type" "order_type" NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,
    "limit_price" DECIMAL(18,6),
    "stop_price" DECIMAL(18,6),
    "status" "order_status" NOT NULL DEFAULT 'PENDING',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "fills" (
    "id" BIGSERIAL NOT NULL,
    "order_id" UUID NOT NULL,
    "quantity" DECIMAL(20,6) NOT NULL,
    "price" DECIMAL(18,6) NOT NULL,
    "fee" DECIMAL(18,6) NOT NULL DEFAULT 0,
    "filled_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "fills_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_email_key" ON "account"("email");

-- CreateIndex
CREATE UNIQUE INDEX "refresh_token_token_hash_key" ON "refresh_token"("token_hash");

-- CreateIndex
CREATE INDEX "refresh_token_account_id_idx" ON "refresh_token"("account_id");

-- CreateIndex
CREATE INDEX "refresh_token_family_id_idx" ON "refresh_token"("family_id");

-- CreateIndex
CREATE INDEX "custom_collection_account_id_idx" ON "custom_collection"("account_id");

-- CreateIndex
CREATE INDEX "custom_collection_stock_stock_symbol_idx" ON "custom_collection_stock"("stock_symbol");

-- CreateIndex
CREATE INDEX "custom_screener_account_id_idx" ON "custom_screener"("account_id");

-- CreateIndex
CREATE INDEX "custom_screener_numeric_screener_id_idx" ON "custom_screener_numeric"("screener_id");

-- CreateIndex
CREATE INDEX "custom_screener_numeric_numeric_filter_id_idx" ON "custom_screener_numeric"("numeric_filter_id");

-- CreateIndex
CREATE INDEX "custom_screener_categorical_screener_id_idx" ON "custom_screener_categorical"("screener_id");

-- CreateIndex
CREATE INDEX "custom_screener_categorical_categorical_filter_id_idx" ON "custom_screener_categorical"("categorical_filter_id");

-- CreateIndex
CREATE UNIQUE INDEX "user_stock_potential_account_id_stock_symbol_key" ON "user_stock_potential"("account_id", "stock_symbol");

-- CreateIndex
CREATE INDEX "user_stock_potential_stock_symbol_idx" ON "user_stock_potential"("stock_symbol");

-- CreateIndex
CREATE INDEX "portfolio_account_id_idx" ON "portfolio"("account_id");

-- CreateIndex
CREATE INDEX "cash_equity_book_portfolio_id_ts_idx" ON "cash_equity_book"("portfolio_id", "ts" DESC);

-- CreateIndex
CREATE INDEX "positions_book_stock_symbol_idx" ON "positions_book"("stock_symbol");

-- CreateIndex
CREATE INDEX "trade_execution_log_portfolio_id_executed_at_idx" ON "trade_execution_log"("portfolio_id", "executed_at" DESC);

-- CreateIndex
CREATE INDEX "trade_execution_log_stock_symbol_idx" ON "trade_execution_log"("stock_symbol");

-- CreateIndex
CREATE INDEX "trade_execution_log_order_id_idx" ON "trade_execution_log"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "pnl_book_portfolio_id_date_key" ON "pnl_book"("portfolio_id", "date");

-- CreateIndex
CREATE INDEX "orders_portfolio_id_status_idx" ON "orders"("portfolio_id", "status");

-- CreateIndex
CREATE INDEX "orders_stock_symbol_idx" ON "orders"("stock_symbol");

-- CreateIndex
CREATE INDEX "fills_order_id_idx" ON "fills"("order_id");

-- AddForeignKey
ALTER TABLE "refresh_token" ADD CONSTRAINT "refresh_token_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "custom_collection" ADD CONSTRAINT "custom_collection_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "custom_collection_stock" ADD CONSTRAINT "custom_collection_stock_collection_id_fkey" FOREIGN KEY ("collection_id") REFERENCES "custom_collection"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "custom_screener" ADD CONSTRAINT "custom_screener_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "custom_screener_numeric" ADD CONSTRAINT "custom_screener_numeric_screener_id_fkey" FOREIGN KEY ("screener_id") REFERENCES "custom_screener"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "custom_screener_categorical" ADD CONSTRAINT "custom_screener_categorical_screener_id_fkey" FOREIGN KEY ("screener_id") REFERENCES "custom_screener"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "user_stock_potential" ADD CONSTRAINT "user_stock_potential_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "portfolio" ADD CONSTRAINT "portfolio_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "account"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cash_equity_book" ADD CONSTRAINT "cash_equity_book_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "positions_book" ADD CONSTRAINT "positions_book_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_execution_log" ADD CONSTRAINT "trade_execution_log_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trade_execution_log" ADD CONSTRAINT "trade_execution_log_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "pnl_book" ADD CONSTRAINT "pnl_book_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "orders" ADD CONSTRAINT "orders_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "fills" ADD CONSTRAINT "fills_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE CASCADE ON UPDATE CASCADE;
