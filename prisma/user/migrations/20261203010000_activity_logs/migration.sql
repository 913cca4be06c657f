-- Not Prisma-generated. The activity log (issue 12, parts 2-3): append-only
-- tables in their own "activity" schema of the user database, kept out of the
-- Prisma schema (they are written in batches with raw multi-row INSERTs and read
-- through the view below, never through Prisma models). They live beside the
-- user tables so that recent_system_activity can union trading_events without
-- crossing databases. trading_events and portfolio are named unqualified: they
-- resolve through the connection's search_path when this migration runs, so the
-- user database's own schema may be called anything.
CREATE SCHEMA IF NOT EXISTS "activity";

-- Each table is range-partitioned by month on "ts" (partitions named
-- <table>_yYYYYmMM, created ahead by activity.ensure_partitions) with a default
-- partition that catches anything no month covers yet. Retention drops whole
-- months. The primary key must hold the partition key, hence (id, ts).
CREATE TABLE "activity"."system_logs" (
    "id" BIGSERIAL NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "level" VARCHAR(10) NOT NULL,
    "logger" VARCHAR(100) NOT NULL,
    "correlation_id" VARCHAR(100),
    "message" TEXT NOT NULL,
    "module" VARCHAR(100),
    "function" VARCHAR(100),
    "pid" INTEGER NOT NULL,
    "metadata" JSONB NOT NULL DEFAULT '{}',
    CONSTRAINT "system_logs_pkey" PRIMARY KEY ("id", "ts")
) PARTITION BY RANGE ("ts");

CREATE TABLE "activity"."error_logs" (
    "id" BIGSERIAL NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "type" VARCHAR(200) NOT NULL,
    "message" TEXT NOT NULL,
    "stack" TEXT,
    "component" VARCHAR(100) NOT NULL,
    "correlation_id" VARCHAR(100),
    "user_id" UUID,
    "request_path" TEXT,
    CONSTRAINT "error_logs_pkey" PRIMARY KEY ("id", "ts")
) PARTITION BY RANGE ("ts");

CREATE TABLE "activity"."performance_logs" (
    "id" BIGSERIAL NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "operation" VARCHAR(200) NOT NULL,
    "duration_ms" DECIMAL(12,3) NOT NULL,
    "status" VARCHAR(20) NOT NULL,
    "component" VARCHAR(100) NOT NULL,
    "correlation_id" VARCHAR(100),
    "memory_mb" DECIMAL(10,2),
    "cpu_percent" DECIMAL(6,2),
    CONSTRAINT "performance_logs_pkey" PRIMARY KEY ("id", "ts")
) PARTITION BY RANGE ("ts");

CREATE TABLE "activity"."user_action_logs" (
    "id" BIGSERIAL NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "action" VARCHAR(200) NOT NULL,
    "user_id" UUID,
    "session" VARCHAR(100),
    "ip" INET,
    "user_agent" TEXT,
    "path" TEXT,
    "method" VARCHAR(10),
    "status" VARCHAR(40) NOT NULL,
    "duration_ms" DECIMAL(12,3) NOT NULL,
    "correlation_id" VARCHAR(100),
    CONSTRAINT "user_action_logs_pkey" PRIMARY KEY ("id", "ts")
) PARTITION BY RANGE ("ts");

CREATE TABLE "activity"."system_logs_default" PARTITION OF "activity"."system_logs" DEFAULT;
CREATE TABLE "activity"."error_logs_default" PARTITION OF "activity"."error_logs" DEFAULT;
CREATE TABLE "activity"."performance_logs_default" PARTITION OF "activity"."performance_logs" DEFAULT;
CREATE TABLE "activity"."user_action_logs_default" PARTITION OF "activity"."user_action_logs" DEFAULT;

-- Newest first is how every reader pages; correlation ids tie one request's rows together.
CREATE INDEX "system_logs_ts_idx" ON "activity"."system_logs"("ts" DESC, "id" DESC);
CREATE INDEX "system_logs_correlation_id_idx" ON "activity"."system_logs"("correlation_id");
CREATE INDEX "error_logs_ts_idx" ON "activity"."error_logs"("ts" DESC, "id" DESC);
CREATE INDEX "error_logs_correlation_id_idx" ON "activity"."error_logs"("correlation_id");
CREATE INDEX "performance_logs_ts_idx" ON "activity"."performance_logs"("ts" DESC, "id" DESC);
CREATE INDEX "performance_logs_correlation_id_idx" ON "activity"."performance_logs"("correlation_id");
CREATE INDEX "user_action_logs_ts_idx" ON "activity"."user_action_logs"("ts" DESC, "id" DESC);
CREATE INDEX "user_action_logs_user_id_ts_idx" ON "activity"."user_action_logs"("user_id", "ts" DESC, "id" DESC);
CREATE INDEX "user_action_logs_correlation_id_idx" ON "activity"."user_action_logs"("correlation_id");

-- activity.ensure_partitions(table, from_ts, to_ts) creates one partition of
-- activity.<table> per calendar month (UTC) touching [from_ts, to_ts] and
-- returns how many it created; months that exist are skipped, so it is safe to
-- call often. Rows already in the default partition for a new month are moved
-- into it in the same transaction (built as a plain table, filled, attached), as
-- ensure_stock_price_partitions does in the stock database.
CREATE OR REPLACE FUNCTION "activity"."ensure_partitions"(parent text, from_ts timestamptz, to_ts timestamptz)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    default_name  text := parent || '_default';
    month_start   timestamp;
    lower_bound   text;
    upper_bound   text;
    part_name     text;
    locked        boolean := false;
    created       integer := 0;
BEGIN
    IF parent NOT IN ('system_logs', 'error_logs', 'performance_logs', 'user_action_logs') THEN
        RAISE EXCEPTION 'not an activity table: %', parent;
    END IF;
    IF from_ts IS NULL OR to_ts IS NULL OR to_ts < from_ts THEN
        RETURN 0;
    END IF;
    month_start := date_trunc('month', from_ts AT TIME ZONE 'UTC');
    WHILE month_start <= to_ts AT TIME ZONE 'UTC' LOOP
        part_name := parent || '_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');
        IF to_regclass(format('activity.%I', part_name)) IS NULL THEN
            IF NOT locked THEN
                EXECUTE format('LOCK TABLE ONLY activity.%I IN SHARE ROW EXCLUSIVE MODE', parent);
                EXECUTE format('LOCK TABLE activity.%I IN ACCESS EXCLUSIVE MODE', default_name);
                locked := true;
            END IF;
        END IF;
        IF to_regclass(format('activity.%I', part_name)) IS NULL THEN
            lower_bound := to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00';
            upper_bound := to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00';
            EXECUTE format('CREATE TABLE activity.%I (LIKE activity.%I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name, parent);
            EXECUTE format(
                'WITH moved AS (DELETE FROM activity.%I WHERE "ts" >= %L AND "ts" < %L RETURNING *) '
                'INSERT INTO activity.%I SELECT * FROM moved',
                default_name, lower_bound, upper_bound, part_name);
            EXECUTE format('ALTER TABLE activity.%I ATTACH PARTITION activity.%I FOR VALUES FROM (%L) TO (%L)',
                parent, part_name, lower_bound, upper_bound);
            created := created + 1;
        END IF;
        month_start := month_start + interval '1 month';
    END LOOP;
    RETURN created;
END;
$$;

SELECT "activity"."ensure_partitions"(t, now() - interval '1 month', now() + interval '2 months')
FROM unnest(ARRAY['system_logs', 'error_logs', 'performance_logs', 'user_action_logs']) AS t;

-- One timeline of everything: source, timestamp, severity, component,
-- description, correlation id, metadata; id and user_id let readers page and
-- keep a user to their own rows. Trading events belong to the portfolio's owner.
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
