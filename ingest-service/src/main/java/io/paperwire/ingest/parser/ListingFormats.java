package io.paperwire.ingest.parser;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.Locale;
import java.util.Optional;

/** Chooses the parser for a media type; generic XML is sniffed by its root element. */
public final class ListingFormats {

    private ListingFormats() {
    }

    /** The parser for {@code mediaType} (type/subtype, parameters ignored), or empty when none reads it. */
    public static Optional<ListingParser> forMediaType(String mediaType) {
        String type = mediaType == null ? "" : mediaType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        return Optional.ofNullable(switch (type) {
            case "text/plain" -> new ListingTextParser();
            case "application/json" -> new HfDailyPapersParser();
            case "application/atom+xml" -> new AtomParser();
            case "application/rss+xml", "application/rdf+xml" -> new RssParser();
            case "application/xml", "text/xml" -> ListingFormats::sniffXml;
            default -> null;
        });
    }

    /** The media types {@link #forMediaType} reads, for error messages. */
    public static String supported() {
        return "text/plain, application/json, application/atom+xml, application/rss+xml, application/xml (OAI-PMH, Atom or RSS)";
    }

    private static ParsedListing sniffXml(InputStream in, LocalDate today) throws IOException, ListingParseException {
        BufferedInputStream buffered = new BufferedInputStream(in, 8192);
        buffered.mark(8192);
        byte[] head = buffered.readNBytes(4096);
        buffered.reset();
        String start = new String(head, StandardCharsets.UTF_8);
        ListingParser p;
        if (start.contains("<OAI-PMH")) {
            p = new OaiPmhParser();
        } else if (start.contains("<feed")) {
            p = new AtomParser();
        } else if (start.contains("<rss") || start.contains("<rdf:RDF")) {
            p = new RssParser();
        } else {
            throw new ListingParseException("XML document is neither OAI-PMH, Atom nor RSS");
        }
        return p.parse(buffered, today);
    }
}
