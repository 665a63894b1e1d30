-- No planner statistics for the wide columns no statement filters, joins or sorts on (dedup's V11 says why and what
-- it costs): the read model's text and JSON is stored and shown. Filters reach authors and categories through
-- functions (jsonb_array_elements_text, jsonb_exists_any), whose selectivity does not come from column statistics;
-- the trending order's jsonb_array_length(sources) is an expression of the index paper_view_attention, which keeps
-- statistics of its own. The search document keeps its statistics: they estimate how many papers a search matches.
alter table paper_view
    alter column title set statistics 0,
    alter column abstract set statistics 0,
    alter column authors set statistics 0,
    alter column categories set statistics 0,
    alter column links set statistics 0,
    alter column sources set statistics 0,
    alter column title_aliases set statistics 0;
