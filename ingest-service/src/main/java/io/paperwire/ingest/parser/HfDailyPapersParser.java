package io.paperwire.ingest.parser;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.paperwire.events.PaperEventsJson;
import io.paperwire.events.PaperSighted.SourceKind;
import java.io.IOException;
import java.io.InputStream;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * Hugging Face {@code /api/daily_papers}: a JSON array read one element at a time. The paper is {@code paper.*}
 * (arXiv id, title, summary, authors, upvotes, githubRepo, ai_keywords); the element's own top-level
 * {@code publishedAt} is the day of the listing, not the paper's arXiv date.
 */
public final class HfDailyPapersParser implements ListingParser {

    /** The contract's mapper: one configured ObjectMapper, not one per parser. */
    private static final ObjectMapper JSON = PaperEventsJson.mapper();

    @Override
    public ParsedListing parse(InputStream in, LocalDate today) throws IOException, ListingParseException {
        List<ParsedEntry> entries = new ArrayList<>();
        List<ParsedListing.RejectedEntry> rejected = new ArrayList<>();
        LocalDate listingDate = null;
        try (JsonParser p = new JsonFactory(JSON).createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ListingParseException("expected a JSON array of daily papers (Hugging Face /api/daily_papers)");
            }
            int index = 0;
            ListingDay day = new ListingDay();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (p.currentToken() == null) {
                    throw new ListingParseException("truncated JSON: the array is not closed");
                }
                JsonNode node = p.readValueAsTree();
                EntryBuilder e = new EntryBuilder(index++);
                if (node == null || !node.isObject()) {
                    e.reject("entry is not a JSON object");
                } else {
                    read(node, e, day);
                    if (listingDate == null) {
                        listingDate = e.listingDate;
                    }
                }
                e.finish(entries, rejected);
            }
        } catch (JsonProcessingException ex) {
            throw new ListingParseException("malformed or truncated JSON: " + ex.getOriginalMessage());
        }
        return new ParsedListing(SourceKind.HF_DAILY_PAPERS, listingDate, entries, rejected, ParsedListing.Paging.NONE);
    }

    private static void read(JsonNode node, EntryBuilder e, ListingDay day) {
        JsonNode paper = node.path("paper");
        String id = text(paper.path("id"));
        if (id != null) {
            e.identifier("arXiv:" + id);
            e.link("abstract", "https://arxiv.org/abs/" + id);
            e.link("huggingface", "https://huggingface.co/papers/" + id);
        }
        e.title = firstText(paper.path("title"), node.path("title"));
        e.abstractText = firstText(paper.path("summary"), node.path("summary"));
        for (JsonNode a : paper.path("authors")) {
            e.author(text(a.path("name")));
        }
        if (paper.path("upvotes").canConvertToInt()) {
            e.upvotes = Math.max(0, paper.path("upvotes").asInt());
        }
        String repo = text(paper.path("githubRepo"));
        if (repo != null) {
            e.link("code", repo);
        }
        for (JsonNode k : paper.path("ai_keywords")) {
            String kw = text(k);
            if (kw != null) {
                e.keyword(kw);
            }
        }
        // The listing day: the element's own publishedAt (or when it was submitted to the daily list).
        e.listingDate = day.of(firstText(node.path("publishedAt"), paper.path("submittedOnDailyAt")));
    }

    /**
     * The entries of one listing mostly share their timestamp: each distinct text is parsed once rather than per
     * entry, as parsing an ISO timestamp took 4-9% of a request's CPU.
     */
    private static final class ListingDay {
        private String text;
        private LocalDate date;

        LocalDate of(String timestamp) {
            if (timestamp != null && !timestamp.equals(text)) {
                date = Xml.date(timestamp);
                text = timestamp;
            }
            return timestamp == null ? null : date;
        }
    }

    private static String firstText(JsonNode a, JsonNode b) {
        String t = text(a);
        return t != null ? t : text(b);
    }

    private static String text(JsonNode n) {
        return n != null && n.isTextual() && !n.asText().isBlank() ? n.asText() : null;
    }
}
