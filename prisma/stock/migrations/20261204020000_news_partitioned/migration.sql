-- Not Prisma-generated. Issue 13 part 2: news_article becomes range-partitioned
-- by month on published_at, gets its sentiment columns (filled at ingestion)
-- and a join table to the stocks an article names (an article may name several,
-- so the single "symbol" column goes). The primary key must hold the partition
-- key, hence (id, published_at); a URL can no longer be unique across months,
-- so ingestion de-duplicates on canonical_url (indexed) itself. There is no
-- default partition: ingestion calls ensure_news_article_partitions for the
-- months of a batch first (a default partition would make the later moves fire
-- the join table's cascading foreign key). sentiment.article_id stays as a plain
-- column: a foreign key must name the whole (id, published_at) key.

ALTER TABLE "sentiment" DROP CONSTRAINT "sentiment_article_id_fkey";

ALTER TABLE "news_article" RENAME TO "news_article_unpartitioned";
ALTER INDEX "news_article_pkey" RENAME TO "news_article_unpartitioned_pkey";
ALTER INDEX "news_article_url_key" RENAME TO "news_article_unpartitioned_url_key";
ALTER INDEX "news_article_symbol_published_at_idx" RENAME TO "news_article_unpartitioned_symbol_published_at_idx";

CREATE TABLE "news_article" (
    "id" BIGINT NOT NULL DEFAULT nextval('news_article_id_seq'),
    "title" VARCHAR(500) NOT NULL,
    "url" VARCHAR(2000) NOT NULL,
    "canonical_url" VARCHAR(2000) NOT NULL,
    "source" VARCHAR(100) NOT NULL,
    "summary" TEXT,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentiment_label" VARCHAR(20) NOT NULL,
    "sentiment_score" DECIMAL(6,5) NOT NULL,
    "sentiment_analyzer" VARCHAR(50) NOT NULL,

    CONSTRAINT "news_article_pkey" PRIMARY KEY ("id", "published_at")
) PARTITION BY RANGE ("published_at");

ALTER SEQUENCE "news_article_id_seq" OWNED BY "news_article"."id";

-- CreateTable
CREATE TABLE "news_article_stock" (
    "article_id" BIGINT NOT NULL,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "symbol" VARCHAR(10) NOT NULL,

    CONSTRAINT "news_article_stock_pkey" PRIMARY KEY ("article_id", "symbol")
);

-- CreateIndex
CREATE INDEX "news_article_canonical_url_idx" ON "news_article"("canonical_url");

-- CreateIndex
CREATE INDEX "news_article_published_at_id_idx" ON "news_article"("published_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "news_article_stock_symbol_published_at_article_id_idx" ON "news_article_stock"("symbol", "published_at" DESC, "article_id" DESC);

-- AddForeignKey
ALTER TABLE "news_article_stock" ADD CONSTRAINT "news_article_stock_article_id_published_at_fkey" FOREIGN KEY ("article_id", "published_at") REFERENCES "news_article"("id", "published_at") ON DELETE CASCADE ON UPDATE CASCADE;

-- ensure_news_article_partitions(from_ts, to_ts) creates one partition of
-- news_article per calendar month (UTC) touching [from_ts, to_ts], named
-- news_article_yYYYYmMM, and returns how many it created; months that exist are
-- skipped, so it is safe to call before every batch. Only when a month is
-- missing it locks the parent (SHARE ROW EXCLUSIVE: reads go on, concurrent
-- creators are serialised) and looks again.
CREATE OR REPLACE FUNCTION "ensure_news_article_partitions"(from_ts timestamptz, to_ts timestamptz)
RETURNS integer
LANGUAGE plpgsql
AS $$
DECLARE
    parent_oid    oid := '"news_article"'::regclass;
    parent_schema text;
    month_start   timestamp; -- UTC wall-clock time
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
        part_name := 'news_article_y' || to_char(month_start, 'YYYY') || 'm' || to_char(month_start, 'MM');
        IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NULL AND NOT locked THEN
            EXECUTE format('LOCK TABLE ONLY %I.%I IN SHARE ROW EXCLUSIVE MODE', parent_schema, 'news_article');
            locked := true;
        END IF;
        IF to_regclass(format('%I.%I', parent_schema, part_name)) IS NULL THEN
            EXECUTE format(
                'CREATE TABLE %I.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                parent_schema, part_name, parent_schema, 'news_article',
                to_char(month_start, 'YYYY-MM-DD') || ' 00:00:00+00',
                to_char(month_start + interval '1 month', 'YYYY-MM-DD') || ' 00:00:00+00');
            created := created + 1;
        END IF;
        month_start := month_start + interval '1 month';
    END LOOP;

    RETURN created;
END;
$$;

-- Every month that holds an existing article, and the last two months to next month.
SELECT "ensure_news_article_partitions"(
    least((SELECT min("published_at") FROM "news_article_unpartitioned"), now() - interval '2 months'),
    now() + interval '1 month'
);

-- Existing rows keep their ids; they were never scored, so they read as neutral until re-ingested.
INSERT INTO "news_article" ("id", "title", "url", "canonical_url", "source", "summary", "published_at", "created_at",
                            "sentiment_label", "sentiment_score", "sentiment_analyzer")
SELECT "id", "title", "url", "url", "source", "summary", "published_at", "created_at", 'NEUTRAL', 0, 'none'
FROM "news_article_unpartitioned";

INSERT INTO "news_article_stock" ("article_id", "published_at", "symbol")
SELECT "id", "published_at", "symbol" FROM "news_article_unpartitioned" WHERE "symbol" IS NOT NULL;

DROP TABLE "news_article_unpartitioned";
