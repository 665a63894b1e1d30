package io.paperwire.ingest.parser;

import java.io.InputStream;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/** A StAX reader hardened against hostile documents (no DTDs, no external entities), and date helpers. */
final class Xml {

    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String ARXIV = "http://arxiv.org/schemas/atom";
    static final String OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/";
    static final String DC = "http://purl.org/dc/elements/1.1/";

    private static final XMLInputFactory FACTORY = XMLInputFactory.newFactory();

    static {
        FACTORY.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        FACTORY.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        FACTORY.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        FACTORY.setProperty(XMLInputFactory.IS_COALESCING, true);
    }

    private Xml() {
    }

    static XMLStreamReader reader(InputStream in) throws XMLStreamException {
        return FACTORY.createXMLStreamReader(in);
    }

    /** Moves to the root element and returns its local name. */
    static String root(XMLStreamReader r) throws XMLStreamException {
        while (r.hasNext()) {
            if (r.next() == XMLStreamReader.START_ELEMENT) {
                return r.getLocalName();
            }
        }
        throw new XMLStreamException("the document has no root element");
    }

    /** The text of a text-only element; the reader ends on its end tag. */
    static String text(XMLStreamReader r) throws XMLStreamException {
        return r.getElementText();
    }

    /**
     * The calendar date of an ISO-8601 timestamp or date, or of an RFC 1123 date (RSS), as written in its own
     * zone (the source's announcement day, not UTC's), or null.
     */
    static LocalDate date(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String v = s.strip();
        try {
            return OffsetDateTime.parse(v).toLocalDate();
        } catch (DateTimeParseException notOffset) {
            try {
                return LocalDate.parse(v.length() >= 10 ? v.substring(0, 10) : v);
            } catch (DateTimeParseException notIso) {
                try {
                    return ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toLocalDate();
                } catch (DateTimeParseException notRfc) {
                    return null;
                }
            }
        }
    }

    static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
