-- CreateEnum
CREATE TYPE "candle_interval" AS ENUM ('MINUTE', 'HOUR', 'DAY');

-- CreateTable
CREATE TABLE "stock" (
    "symbol" VARCHAR(10) NOT NULL,
    "name" VARCHAR(200) NOT NULL,
    "sector" VARCHAR(100) NOT NULL,
    "industry" VARCHAR(100) NOT NULL,
    "exchange" VARCHAR(20) NOT NULL,
    "currency" CHAR(3) NOT NULL DEFAULT 'USD',
    "country" CHAR(2) NOT NULL DEFAULT 'US',
    "market_cap" DECIMAL(20,2),
    "pe_ratio" DECIMAL(12,4),
    "dividend_yield" DECIMAL(8,6),
    "is_active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "stock_pkey" PRIMARY KEY ("symbol")
);

-- CreateTable
-- Not Prisma-generated: range-partitioned by month on "ts" (Prisma has no
-- syntax for partitioning; the columns, types and key are exactly the model's).
-- Monthly partitions are created by ensure_stock_price_partitions() below;
-- "stock_price_default" catches any row no monthly partition covers yet.
CREATE TABLE "stock_price" (
    "symbol" VARCHAR(10) NOT NULL,
    "interval" "candle_interval" NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "open" DECIMAL(18,6) NOT NULL,
    "high" DECIMAL(18,6) NOT NULL,
    "low" DECIMAL(18,6) NOT NULL,
    "close" DECIMAL(18,6) NOT NULL,
    "adj_close" DECIMAL(18,6),
    "volume" BIGINT NOT NULL DEFAULT 0,
    "source" VARCHAR(20) NOT NULL DEFAULT 'seed',

    CONSTRAINT "stock_price_pkey" PRIMARY KEY ("symbol","interval","ts")
) PARTITION BY RANGE ("ts");

-- CreateTable
CREATE TABLE "stock_price_default" PARTITION OF "stock_price" DEFAULT;

-- CreateTable
CREATE TABLE "technical_indicator" (
    "symbol" VARCHAR(10) NOT NULL,
    "interval" "candle_interval" NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "sma20" DECIMAL(18,6),
    "sma50" DECIMAL(18,6),
    "sma200" DECIMAL(18,6),
    "ema12" DECIMAL(18,6),
    "ema26" DECIMAL(18,6),
    "rsi14" DECIMAL(9,4),
    "macd" DECIMAL(18,6),
    "macd_signal" DECIMAL(18,6),
    "macd_histogram" DECIMAL(18,6),
    "bollinger_upper" DECIMAL(18,6),
    "bollinger_middle" DECIMAL(18,6),
    "bollinger_lower" DECIMAL(18,6),
    "atr14" DECIMAL(18,6),
    "obv" BIGINT,
    "computed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "technical_indicator_pkey" PRIMARY KEY ("symbol","interval","ts")
);

-- CreateTable
CREATE TABLE "blacklist" (
    "symbol" VARCHAR(10) NOT NULL,
    "reason" VARCHAR(500) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "blacklist_pkey" PRIMARY KEY ("symbol")
);

-- CreateTable
CREATE TABLE "screener" (
    "id" SERIAL NOT NULL,
    "key" VARCHAR(50) NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "description" VARCHAR(500) NOT NULL,
    "criteria" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "screener_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "numeric_filter" (
    "id" SERIAL NOT NULL,
    "key" VARCHAR(50) NOT NULL,
    "label" VARCHAR(100) NOT NULL,
    "column_name" VARCHAR(63) NOT NULL,
    "unit" VARCHAR(20) NOT NULL,
    "min_value" DECIMAL(24,6),
    "max_value" DECIMAL(24,6),

    CONSTRAINT "numeric_filter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "categorical_filter" (
    "id" SERIAL NOT NULL,
    "key" VARCHAR(50) NOT NULL,
    "label" VARCHAR(100) NOT NULL,
    "column_name" VARCHAR(63) NOT NULL,
    "options" TEXT[],

    CONSTRAINT "categorical_filter_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "news_article" (
    "id" BIGSERIAL NOT NULL,
    "symbol" VARCHAR(10),
    "title" VARCHAR(500) NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "source" VARCHAR(100) NOT NULL,
    "summary" TEXT,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "news_article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sentiment" (
    "id" BIGSERIAL NOT NULL,
    "symbol" VARCHAR(10) NOT NULL,
    "article_id" BIGINT,
    "score" DECIMAL(6,5) NOT NULL,
    "label" VARCHAR(20) NOT NULL,
    "source" VARCHAR(50) NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sentiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "model" (
    "id" SERIAL NOT NULL,
    "name" VARCHAR(100) NOT NULL,
    "version" VARCHAR(50) NOT NULL,
    "kind" VARCHAR(50) NOT NULL,
    "params" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "model_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "prediction" (
    "id" BIGSERIAL NOT NULL,
    "model_id" INTEGER NOT NULL,
    "symbol" VARCHAR(10) NOT NULL,
    "target_ts" TIMESTAMPTZ(3) NOT NULL,
    "predicted_close" DECIMAL(18,6) NOT NULL,
    "confidence" DECIMAL(6,5),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "prediction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "market_scan_result" (
    "id" BIGSERIAL NOT NULL,
    "scan_type" VARCHAR(50) NOT NULL,
    "symbol" VARCHAR(10) NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "score" DECIMAL(12,6) NOT NULL,
    "details" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "market_scan_result_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "stock_sector_idx" ON "stock"("sector");

-- CreateIndex
CREATE INDEX "stock_industry_idx" ON "stock"("industry");

-- CreateIndex
CREATE INDEX "stock_exchange_idx" ON "stock"("exchange");

-- CreateIndex
CREATE INDEX "stock_market_cap_idx" ON "stock"("market_cap" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "screener_key_key" ON "screener"("key");

-- CreateIndex
CREATE UNIQUE INDEX "numeric_filter_key_key" ON "numeric_filter"("key");

-- CreateIndex
CREATE UNIQUE INDEX "categorical_filter_key_key" ON "categorical_filter"("key");

-- CreateIndex
CREATE UNIQUE INDEX "news_article_url_key" ON "news_article"("url");

-- CreateIndex
CREATE INDEX "news_article_symbol_published_at_idx" ON "news_article"("symbol", "published_at" DESC);

-- CreateIndex
CREATE INDEX "sentiment_symbol_ts_idx" ON "sentiment"("symbol", "ts" DESC);

-- CreateIndex
CREATE INDEX "sentiment_article_id_idx" ON "sentiment"("article_id");

-- CreateIndex
CREATE UNIQUE INDEX "model_name_version_key" ON "model"("name", "version");

-- CreateIndex
CREATE UNIQUE INDEX "prediction_model_id_symbol_target_ts_key" ON "prediction"("model_id", "symbol", "target_ts");

-- CreateIndex
CREATE INDEX "prediction_symbol_target_ts_idx" ON "prediction"("symbol", "target_ts");

-- CreateIndex
CREATE INDEX "market_scan_result_scan_type_ts_idx" ON "market_scan_result"("scan_type", "ts" DESC);

-- CreateIndex
CREATE INDEX "market_scan_result_symbol_idx" ON "market_scan_result"("symbol");

-- AddForeignKey
ALTER TABLE "sentiment" ADD CONSTRAINT "sentiment_article_id_fkey" FOREIGN KEY ("article_id") REFERENCES "news_article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "prediction" ADD CONSTRAINT "prediction_model_id_fkey" FOREIGN KEY ("model_id") REFERENCES "model"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- CreateFunction
-- Not Prisma-generated. ensure_stock_price_partitions(from_ts, to_ts) creates
-- one "stock_price" partition per calendar month (UTC) touching [from_ts, to_ts],
-- named stock_price_yYYYYmMM, and returns how many it created. Months that
-- already have a table of that name are skipped, so it is safe to call often
-- (call it ahead of time, e.g. from the ingest job). Rows that landed in the default
-- partition for a month being created are moved into the new partition in the
-- same transaction: the partition is built as a plain table, filled with
-- DELETE ... RETURNING from the default partition, then attached. Only when a
-- partition is missing, it locks the parent in SHARE ROW EXCLUSIVE mode (reads
-- go on; inserts wait until the caller's transaction ends, then route to the
-- new partition instead of failing against the default partition's changed
-- bounds; concurrent callers are serialised) and the default partition in
-- ACCESS EXCLUSIVE mode (which ATTACH needs anyway). Call it in a short
-- transaction of its own.
CREATE OR REPLACE FUNCTION "ensure_stock_price_partitions"(from_ts timestamptz, to_ts timestamptz)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    parent_oid    oid := '"stock_price"'::regclass;
    parent_schema text;
    default_name  text;
    month_start   timestamp; -- UTC wall-clock time
    lower_bound   text;
    upper_bound   text;
    part_name     text;
    locked        boolean := false;
    created       integer := 0;
BEGIN
    IF from_ts IS NULL OR to_ts IS NULL OR to_ts < from_ts THEN
        RETURN 0;
    END IF;

    SELECT n.nspname INTO parent_schema
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = parent_oid;

    month_start := date_trunc('month', from_ts AT TIME ZONE 'UTC');
    WHILE month_start <= to_ts AT TIME ZONE 'UTC' LOOP
        part_name := 'stock_price_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');

        IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NULL AND NOT locked THEN
            -- Take the locks once, then look again: a concurrent caller may
            -- have created this month while we waited.
            EXECUTE format('LOCK TABLE ONLY %I.%I IN SHARE ROW EXCLUSIVE MODE', parent_schema, 'stock_price');
            SELECT d.relname INTO default_name
            FROM pg_partitioned_table p JOIN pg_class d ON d.oid = p.partdefid
            WHERE p.partrelid = parent_oid;
            IF default_name IS NOT NULL THEN
                EXECUTE format('LOCK TABLE %I.%I IN ACCESS EXCLUSIVE MODE', parent_schema, default_name);
            END IF;
            locked := true;
        END IF;

        IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NULL THEN
            lower_bound := to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00';
            upper_bound := to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';

            IF default_name IS NULL THEN
                EXECUTE format(
                    'CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                    parent_schema, part_name, parent_schema, 'stock_price', lower_bound, upper_bound);
            ELSE
                EXECUTE format(
                    'CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                    parent_schema, part_name, parent_schema, 'stock_price');
                EXECUTE format(
                    'WITH moved AS (DELETE FROM %I.%I WHERE "ts" >= %L AND "ts" < %L RETURNING *) '
                    'INSERT INTO %I.%I SELECT * FROM moved',
                    parent_schema, default_name, lower_bound, upper_bound, parent_schema, part_name);
                EXECUTE format(
                    'ALTER TABLE %I.%I ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                    parent_schema, 'stock_price', parent_schema, part_name, lower_bound, upper_bound);
            END IF;
            created := created + 1;
        END IF;

        month_start := month_start + interval '1 month';
    END LOOP;

    RETURN created;
END;
$$;

-- CreatePartitions
-- The current month and the next three; the ingest job keeps creating ahead.
SELECT "ensure_stock_price_partitions"(
    date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
    (date_trunc('month', now() AT TIME ZONE 'UTC') + interval '3 months') AT TIME ZONE 'UTC'
);
