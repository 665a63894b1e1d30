-- Completeness: which paper (by the contract's ListingKey: arXiv id, else DOI, else title fingerprint) a source listed on
-- which day. Counted per source and day against what ingest published (GET /api/v1/sources/days). Older sightings have
-- neither and are not counted.
alter table sighting add column listing_date date, add column listing_key text;
create index sighting_listing_day on sighting (listing_date, source, listing_key) where listing_date is not null;
