package io.paperwire.ingest.parser;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** OAI-PMH harvests: each page names the next by its resumption token, which alone (with the verb) asks for it. */
public final class OaiPmhPagination implements Pagination {

    private static final String CURSOR = "resumptionToken=";

    @Override
    public URI start(URI configured, String cursor) {
        return cursor != null && cursor.startsWith(CURSOR) ? continuation(configured, cursor.substring(CURSOR.length())) : configured;
    }

    @Override
    public URI next(URI configured, ParsedListing.Paging paging, int entriesOnPage) {
        return paging.resumptionToken() == null ? null : continuation(configured, paging.resumptionToken());
    }

    @Override
    public String cursorOf(URI next) {
        Matcher m = Pattern.compile("resumptionToken=([^&]*)").matcher(Optional.ofNullable(next.getRawQuery()).orElse(""));
        return m.find() ? CURSOR + URLDecoder.decode(m.group(1), StandardCharsets.UTF_8) : null;
    }

    /** The request for the page a token names: a resumption token is exclusive, only the verb goes with it. */
    static URI continuation(URI base, String token) {
        String s = base.toString();
        int q = s.indexOf('?');
        String path = q < 0 ? s : s.substring(0, q);
        return URI.create(path + "?verb=ListRecords&resumptionToken=" + URLEncoder.encode(token, StandardCharsets.UTF_8));
    }
}
