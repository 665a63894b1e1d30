package io.paperwire.ingest.parser;

import java.net.URI;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** arXiv API results: pages by {@code start=} offset, told by the opensearch counts of each page. */
public final class ArxivApiPagination implements Pagination {

    private static final Pattern START_PARAM = Pattern.compile("([?&])start=\\d*");
    private static final String CURSOR = "start=";

    @Override
    public URI start(URI configured, String cursor) {
        return cursor != null && cursor.startsWith(CURSOR) ? withStart(configured, Integer.parseInt(cursor.substring(CURSOR.length())))
                : configured;
    }

    @Override
    public URI next(URI configured, ParsedListing.Paging paging, int entriesOnPage) {
        if (paging.totalResults() == null || entriesOnPage == 0) {
            return null;
        }
        int start = paging.startIndex() == null ? 0 : paging.startIndex();
        int size = paging.itemsPerPage() == null ? entriesOnPage : paging.itemsPerPage();
        return start + size < paging.totalResults() ? withStart(configured, start + size) : null;
    }

    @Override
    public String cursorOf(URI next) {
        Matcher m = Pattern.compile("(?:^|&)start=(\\d+)").matcher(Optional.ofNullable(next.getRawQuery()).orElse(""));
        return m.find() ? CURSOR + m.group(1) : null;
    }

    /** {@code base} with its {@code start} parameter set (added if missing). */
    static URI withStart(URI base, int start) {
        String s = base.toString();
        Matcher m = START_PARAM.matcher(s);
        if (m.find()) {
            return URI.create(m.replaceFirst(m.group(1) + "start=" + start));
        }
        return URI.create(s + (s.contains("?") ? "&" : "?") + "start=" + start);
    }
}
