package io.paperwire.ingest.resolver;

import io.paperwire.events.PaperSighted;
import io.paperwire.ingest.config.IngestConfig;
import io.paperwire.ingest.parser.AtomParser;
import io.paperwire.ingest.parser.ListingParseException;
import io.paperwire.ingest.parser.ParsedEntry;
import io.paperwire.ingest.poller.HttpFetcher;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks arXiv's API for the papers whose title holds a title's words as a phrase ({@code ti:"..."}), through the
 * poller's fetcher: its user agent, size cap, deadline, retries and per-host pace, which the poller's own requests to
 * arXiv share. The answer is arXiv's Atom, read by the same parser as a polled arXiv API source.
 */
@ApplicationScoped
public class ArxivTitleSearch {

    /** Candidates asked for: enough that every paper of a short, common title is among them, so a shared title shows. */
    static final int MAX_RESULTS = 25;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private final HttpFetcher fetcher;
    private final IngestConfig config;

    public ArxivTitleSearch(HttpFetcher fetcher, IngestConfig config) {
        this.fetcher = fetcher;
        this.config = config;
    }

    /** The papers arXiv lists for the title's words; empty when it knows none. */
    public List<ParsedEntry> search(String title) throws HttpFetcher.FetchException, InterruptedException {
        URI uri = URI.create(config.resolver().baseUrl().replaceAll("/+$", "") + "/api/query?search_query="
                + URLEncoder.encode("ti:\"" + words(title) + "\"", StandardCharsets.UTF_8) + "&start=0&max_results=" + MAX_RESULTS);
        HttpFetcher.Fetched answer = fetcher.get(uri, null, null);
        try {
            return new AtomParser(PaperSighted.SourceKind.ARXIV_API).parse(new ByteArrayInputStream(answer.body()), LocalDate.now())
                    .entries();
        } catch (ListingParseException | IOException e) {
            throw new HttpFetcher.FetchException("arXiv's answer for a title is not its Atom: " + e.getMessage(), e);
        }
    }

    /** The title's words, nothing that arXiv's query syntax would read (quotes, colons, parentheses, operators). */
    public static String words(String title) {
        List<String> out = new ArrayList<>();
        Matcher m = WORD.matcher(title);
        while (m.find() && out.size() < 30) {
            out.add(m.group());
        }
        return String.join(" ", out);
    }
}
