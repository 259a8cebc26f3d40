-- The logs table in ClickHouse (works on 18.16 and later), the same columns as TrafficPeak's globalevents.logs
-- (logs.transform.json) and as the rows Vector makes (../vector-config.yaml, transform "logs"). TrafficPeak is
-- ClickHouse-compatible for queries, so a query written against this table runs there too. Checked on a real
-- clickhouse-server by LogsTableTest (knative module). DateTime keeps seconds (DateTime64 needs 20.1+);
-- TrafficPeak keeps milliseconds. Rows have no id: a line Vector re-sends after a crash appears twice.
CREATE TABLE IF NOT EXISTS ${database}.logs (
  timestamp DateTime,
  level String,
  message String,
  logger_name String,
  thread_name String,
  stack_trace String,
  trace_id String,
  span_id String,
  region String,
  service String,
  cluster String,
  namespace String,
  pod String,
  container String,
  node String,
  stream String
) ENGINE = MergeTree()
PARTITION BY toYYYYMMDD(timestamp)
ORDER BY (region, service, timestamp)
