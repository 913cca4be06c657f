-- Not Prisma-generated. Issue 13 (scanner): market_scan_result is rebuilt as one row per
-- (run, kind, rank), range-partitioned by month on scanned_at (the run time), with
-- market_scan_run naming each committed run. Nothing wrote the old table, so it is dropped.
DROP TABLE "market_scan_result";

-- CreateTable
CREATE TABLE "market_scan_run" (
    "timeframe" VARCHAR(10) NOT NULL,
    "scanned_at" TIMESTAMPTZ(3) NOT NULL,
    "result_count" INTEGER NOT NULL,
    "kind_counts" JSONB NOT NULL DEFAULT '{}',
    "symbol_count" INTEGER NOT NULL,

    CONSTRAINT "market_scan_run_pkey" PRIMARY KEY ("timeframe","scanned_at")
);

-- CreateTable
-- Partitioned: the key holds scanned_at. "market_scan_result_default" catches a row no month covers.
CREATE TABLE "market_scan_result" (
    "timeframe" VARCHAR(10) NOT NULL,
    "scanned_at" TIMESTAMPTZ(3) NOT NULL,
    "kind" VARCHAR(30) NOT NULL,
    "rank" INTEGER NOT NULL,
    "symbol" VARCHAR(10) NOT NULL,
    "value" DOUBLE PRECISION NOT NULL,
    "change_percent" DOUBLE PRECISION,
    "volume_ratio" DOUBLE PRECISION,
    "trend" VARCHAR(10),
    "support" DOUBLE PRECISION,
    "resistance" DOUBLE PRECISION,
    "figures" JSONB NOT NULL DEFAULT '{}',

    CONSTRAINT "market_scan_result_pkey" PRIMARY KEY ("timeframe","scanned_at","kind","rank")
) PARTITION BY RANGE ("scanned_at");

CREATE TABLE "market_scan_result_default" PARTITION OF "market_scan_result" DEFAULT;

-- CreateIndex
CREATE INDEX "market_scan_result_symbol_idx" ON "market_scan_result"("symbol");

-- ensure_market_scan_partitions(from_ts, to_ts) creates one partition of market_scan_result
-- per calendar month (UTC) touching [from_ts, to_ts], named market_scan_result_yYYYYmMM, and
-- returns how many it created; existing months are skipped. Rows of a new month already in the
-- default partition are moved into it (built as a plain table, filled, attached), as
-- ensure_stock_price_partitions does. Locks are taken only when a month is missing. Call it in a
-- short transaction of its own (the scanner calls it before each run's write).
CREATE OR REPLACE FUNCTION "ensure_market_scan_partitions"(from_ts timestamptz, to_ts timestamptz)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    parent_oid    oid := '"market_scan_result"'::regclass;
    parent_schema text;
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
        part_name := 'market_scan_result_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');

        IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NULL AND NOT locked THEN
            EXECUTE format('LOCK TABLE ONLY %I.%I IN SHARE ROW EXCLUSIVE MODE', parent_schema, 'market_scan_result');
            EXECUTE format('LOCK TABLE %I.%I IN ACCESS EXCLUSIVE MODE', parent_schema, 'market_scan_result_default');
            locked := true;
        END IF;

        IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NULL THEN
            lower_bound := to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00';
            upper_bound := to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';
            EXECUTE format(
                'CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                parent_schema, part_name, parent_schema, 'market_scan_result');
            EXECUTE format(
                'WITH moved AS (DELETE FROM %I.%I WHERE "scanned_at" >= %L AND "scanned_at" < %L RETURNING *) '
                'INSERT INTO %I.%I SELECT * FROM moved',
                parent_schema, 'market_scan_result_default', lower_bound, upper_bound, parent_schema, part_name);
            EXECUTE format(
                'ALTER TABLE %I.%I ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                parent_schema, 'market_scan_result', parent_schema, part_name, lower_bound, upper_bound);
            created := created + 1;
        END IF;

        month_start := month_start + interval '1 month';
    END LOOP;

    RETURN created;
END;
$$;

SELECT "ensure_market_scan_partitions"(now(), now() + interval '2 months');
