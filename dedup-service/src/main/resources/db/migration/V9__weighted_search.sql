-- Search ranks title words above the abstract's (the filter language's document, PaperFilter.document, as notify's
-- read model has it): the documents written before are written again with the weights. Matching is unchanged.
update paper_search s
set document = setweight(to_tsvector('english', p.title), 'A') || setweight(to_tsvector('english', coalesce(p.abstract, '')), 'B')
from paper p
where p.id = s.paper_id;
