-- The metrics table in ClickHouse (works on 18.16 and later). One row per metrics sample, and per closed window one
-- row of totals (event_type '') plus one per event type (event_type set, id <CloudEvent id>/<event_type>), as
-- export-metrics flattens them (MetricsRows); checked against metrics.schema.json by MetricsTablesTest.
-- ReplacingMergeTree ordered by id: a row delivered twice collapses into one on merge (query with FINAL to see it
-- already). ${database} is replaced by export-metrics with its configured database. One column per line: when the
-- table exists already, export-metrics adds the columns it lacks (ALTER TABLE ... ADD COLUMN, with the DEFAULT
-- given here, so older rows read event_type ''), since 18.16 has no ADD COLUMN IF NOT EXISTS.
CREATE TABLE IF NOT EXISTS ${database}.metrics (
  timestamp DateTime,
  region String,
  event_count UInt64,
  processing_time Float64,
  error_rate Float64,
  queue_depth UInt64,
  memory_usage Float64,
  cpu_usage Float64,
  window_start Nullable(DateTime),
  window_end Nullable(DateTime),
  latency_p50 Nullable(Float64),
  latency_p95 Nullable(Float64),
  latency_p99 Nullable(Float64),
  environment String,
  service String,
  version String,
  event_type String DEFAULT '',
  kind String,
  source String,
  id String
) ENGINE = ReplacingMergeTree()
PARTITION BY toYYYYMMDD(timestamp)
ORDER BY (region, service, kind, timestamp, id)
