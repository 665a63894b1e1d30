-- The trending page orders a period's papers by attention (upvotes, then sources, then sightings, then score): read in
-- that order from an index, a page of 30 stops after 30 papers of the period instead of sorting all of them (a month
-- can hold most of a million).
create index paper_view_attention on paper_view (upvotes desc, (jsonb_array_length(sources)) desc, sightings desc, score desc, paper_id);
