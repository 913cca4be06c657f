-- Not Prisma-generated. Issue 12: trading_events becomes range-partitioned by
-- month on created_at, like the activity tables, but is never dropped (trading
-- events are kept forever). The primary key must hold the partition key, hence
-- (id, created_at); ids keep coming from the same sequence, so they stay unique
-- and increasing. Existing rows are copied into the new table. Names are
-- unqualified: they resolve through the search_path the migrator runs with (the
-- embedded instance keeps the user database in its own schema).

-- The view reads trading_events; it is dropped here and recreated unchanged below.
DROP VIEW "activity"."recent_system_activity";

ALTER TABLE "trading_events" RENAME TO "trading_events_unpartitioned";
ALTER INDEX "trading_events_pkey" RENAME TO "trading_events_unpartitioned_pkey";
ALTER INDEX "trading_events_portfolio_id_id_idx" RENAME TO "trading_events_unpartitioned_portfolio_id_id_idx";
ALTER INDEX "trading_events_order_id_idx" RENAME TO "trading_events_unpartitioned_order_id_idx";

CREATE TABLE "trading_events" (
    "id" BIGINT NOT NULL DEFAULT nextval('trading_events_id_seq'),
    "portfolio_id" UUID NOT NULL,
    "order_id" UUID,
    "type" "trading_event_type" NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "trading_events_pkey" PRIMARY KEY ("id", "created_at")
) PARTITION BY RANGE ("created_at");

-- The sequence now belongs to the new table, so dropping the old one keeps it (and its position).
ALTER SEQUENCE "trading_events_id_seq" OWNED BY "trading_events"."id";

CREATE TABLE "trading_events_default" PARTITION OF "trading_events" DEFAULT;

-- CreateIndex
CREATE INDEX "trading_events_portfolio_id_id_idx" ON "trading_events"("portfolio_id", "id" DESC);

-- CreateIndex
CREATE INDEX "trading_events_order_id_idx" ON "trading_events"("order_id");

-- AddForeignKey
ALTER TABLE "trading_events" ADD CONSTRAINT "trading_events_portfolio_id_fkey" FOREIGN KEY ("portfolio_id") REFERENCES "portfolio"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "trading_events" ADD CONSTRAINT "trading_events_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "orders"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- ensure_trading_events_partitions(from_ts, to_ts) creates one partition of
-- trading_events per calendar month (UTC) touching [from_ts, to_ts], named
-- trading_events_yYYYYmMM, and returns how many it created; months that exist
-- are skipped, so it is safe to call often (the activity-retention job and
-- start-up call it; nothing ever drops these partitions). Rows already in the
-- default partition for a new month are moved into it in the same transaction
-- (built as a plain table, filled, attached), as ensure_stock_price_partitions
-- does. Attaching clones the foreign keys, which locks portfolio and orders in
-- SHARE ROW EXCLUSIVE mode; an order transaction writes orders before
-- trading_events, so the function takes its locks in that same order (portfolio,
-- orders, trading_events, its default partition) and the two wait for each
-- other instead of deadlocking. Locks are taken only when a month is missing.
-- Call it in a short transaction of its own.
CREATE OR REPLACE FUNCTION "ensure_trading_events_partitions"(from_ts timestamptz, to_ts timestamptz)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    parent_oid    oid := '"trading_events"'::regclass;
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
        part_name := 'trading_events_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');

        IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NULL AND NOT locked THEN
            -- Take the locks once, then look again: a concurrent caller may have created this month meanwhile.
            EXECUTE format('LOCK TABLE %I.%I, %I.%I IN SHARE ROW EXCLUSIVE MODE', parent_schema, 'portfolio', parent_schema, 'orders');
            EXECUTE format('LOCK TABLE ONLY %I.%I IN SHARE ROW EXCLUSIVE MODE', parent_schema, 'trading_events');
            EXECUTE format('LOCK TABLE %I.%I IN ACCESS EXCLUSIVE MODE', parent_schema, 'trading_events_default');
            locked := true;
        END IF;

        IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NULL THEN
            lower_bound := to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00';
            upper_bound := to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';
            EXECUTE format(
                'CREATE TABLE %I.%I (LIKE %I.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)',
                parent_schema, part_name, parent_schema, 'trading_events');
            EXECUTE format(
                'WITH moved AS (DELETE FROM %I.%I WHERE "created_at" >= %L AND "created_at" < %L RETURNING *) '
                'INSERT INTO %I.%I SELECT * FROM moved',
                parent_schema, 'trading_events_default', lower_bound, upper_bound, parent_schema, part_name);
            EXECUTE format(
                'ALTER TABLE %I.%I ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                parent_schema, 'trading_events', parent_schema, part_name, lower_bound, upper_bound);
            created := created + 1;
        END IF;

        month_start := month_start + interval '1 month';
    END LOOP;

    RETURN created;
END;
$$;

-- Every month that holds an existing event, and last month to two months ahead, as the activity tables.
SELECT "ensure_trading_events_partitions"(
    least((SELECT min("created_at") FROM "trading_events_unpartitioned"), now() - interval '1 month'),
    now() + interval '2 months'
);

-- Copied after the partitions exist, so each row is written once, straight into its month.
INSERT INTO "trading_events" ("id", "portfolio_id", "order_id", "type", "payload", "created_at")
SELECT "id", "portfolio_id", "order_id", "type", "payload", "created_at" FROM "trading_events_unpartitioned";

DROP TABLE "trading_events_unpartitioned";

-- Unchanged from 20261203010000_activity_logs.
CREATE VIEW "activity"."recent_system_activity" AS
SELECT 'SYSTEM'::text AS source, s.id, s.ts AS "timestamp", upper(s.level) AS severity,
       coalesce(s.module, s.logger) AS component, s.message AS description, s.correlation_id,
       NULL::uuid AS user_id,
       s.metadata || jsonb_build_object('logger', s.logger, 'function', s."function", 'pid', s.pid) AS metadata
FROM "activity"."system_logs" s
UNION ALL
SELECT 'ERROR', e.id, e.ts, 'ERROR', e.component, e.type || ': ' || e.message, e.correlation_id, e.user_id,
       jsonb_build_object('type', e.type, 'requestPath', e.request_path)
FROM "activity"."error_logs" e
UNION ALL
SELECT 'PERFORMANCE', p.id, p.ts,
       CASE p.status WHEN 'ok' THEN 'INFO' WHEN 'slow' THEN 'WARN' ELSE 'ERROR' END,
       p.component, p.operation || ' took ' || p.duration_ms::text || ' ms (' || p.status || ')', p.correlation_id, NULL::uuid,
       jsonb_build_object('operation', p.operation, 'durationMs', p.duration_ms, 'status', p.status, 'memoryMb', p.memory_mb, 'cpuPercent', p.cpu_percent)
FROM "activity"."performance_logs" p
UNION ALL
SELECT 'USER_ACTION', u.id, u.ts,
       CASE WHEN u.status = 'OK' THEN 'INFO'
            WHEN u.status IN ('INTERNAL_SERVER_ERROR', 'SERVICE_UNAVAILABLE') THEN 'ERROR' ELSE 'WARN' END,
       'api', u.action || ' ' || u.status, u.correlation_id, u.user_id,
       jsonb_build_object('action', u.action, 'status', u.status, 'durationMs', u.duration_ms, 'ip', host(u.ip),
                          'userAgent', u.user_agent, 'path', u.path, 'method', u.method, 'session', u.session)
FROM "activity"."user_action_logs" u
UNION ALL
SELECT 'TRADING', t.id, t.created_at, 'INFO', 'portfolio', t.type::text, NULL::varchar, p.account_id,
       t.payload || jsonb_build_object('portfolioId', t.portfolio_id, 'orderId', t.order_id)
FROM trading_events t
JOIN portfolio p ON p.id = t.portfolio_id;
