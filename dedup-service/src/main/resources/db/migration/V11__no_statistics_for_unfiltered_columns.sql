-- No planner statistics for the wide columns no statement filters, joins or sorts on: text and JSON that is only
-- stored and returned. Autovacuum's ANALYZE detoasted and sorted them for every table that grew or changed by a
-- tenth: on a young catalogue taking 1,000 sightings/s that was every ~10 s per table, about a tenth of the machine
-- in a latency run, and ANALYZE of paper took half the time without them (docs/benchmarks.md, run 10). The keys (ids,
-- fingerprints, times) and the search documents keep theirs: plans depend on those. What the planner loses is these
-- columns' average width and null fraction, which only size its estimates of the rows it returns.
-- A database analyzed before this migration keeps the statistics it had for them (ANALYZE leaves rows of columns it
-- skips), frozen; only the work stops.
alter table paper
    alter column title set statistics 0,
    alter column abstract set statistics 0,
    alter column authors set statistics 0,
    alter column categories set statistics 0,
    alter column links set statistics 0,
    alter column source_counts set statistics 0;
alter table sighting
    alter column title set statistics 0,
    alter column raw_identifiers set statistics 0;
alter table paper_title
    alter column title set statistics 0;
