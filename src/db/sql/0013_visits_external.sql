-- No query looks visits up by external_id (a provider system's own id is kept for its
-- reference and checked for repeats within one bulk file only), so its index only cost every
-- report one more page written at commit (docs/perf.md, Visits).
DROP INDEX visits_external;
