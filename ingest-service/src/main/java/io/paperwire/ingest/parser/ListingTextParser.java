package io.paperwire.ingest.parser;

import io.paperwire.events.PaperSighted;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.Month;
import java.time.Year;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a listing page saved as text (like Hugging Face Daily Papers): paragraphs separated by blank lines,
 * each paper a title paragraph followed by its abstract paragraph. Page chrome and the date line are
 * recognised and dropped. It reads line by line, so a large page is never held whole in memory.
 */
public final class ListingTextParser implements ListingParser {

    private static final Set<String> CHROME = Set.of(
            "new", "get trending papers in your email inbox!", "subscribe", "daily papers",
            "byak and the research community", "by ak and the research community");
    private static final Pattern DATE_LINE = Pattern.compile(
            "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.? (\\d{1,2})(?:, (\\d{4}))?",
            Pattern.CASE_INSENSITIVE);

    @Override
    public ParsedListing parse(InputStream in, LocalDate today) throws IOException, ListingParseException {
        return parse(new InputStreamReader(in, StandardCharsets.UTF_8), today);
    }

    /**
     * Parses a listing page.
     *
     * @param today the observation date, to give a year to a date line that has none ("Mar 11")
     * @throws ListingParseException when the text holds no title/abstract pair at all
     */
    public static ParsedListing parse(Reader reader, LocalDate today) throws IOException, ListingParseException {
        BufferedReader in = reader instanceof BufferedReader b ? b : new BufferedReader(reader);
        List<ParsedEntry> entries = new ArrayList<>();
        List<ParsedListing.RejectedEntry> rejected = new ArrayList<>();
        LocalDate listingDate = null;
        String pendingTitle = null;
        int index = 0;
        StringBuilder paragraph = new StringBuilder();
        for (String line = in.readLine(); ; line = in.readLine()) {
            if (line != null && !line.isBlank()) {
                if (!paragraph.isEmpty()) {
                    paragraph.append(' ');
                }
                paragraph.append(line.strip());
                continue;
            }
            if (!paragraph.isEmpty()) {
                String text = paragraph.toString();
                paragraph.setLength(0);
                LocalDate date = dateLine(text, today);
                if (pendingTitle == null && date != null && listingDate == null) {
                    listingDate = date;
                } else if (pendingTitle == null && CHROME.contains(text.toLowerCase(Locale.ROOT))) {
                    // page chrome: not an entry
                } else if (pendingTitle == null) {
                    pendingTitle = text;
                } else {
                    EntryBuilder e = new EntryBuilder(index++);
                    e.title = pendingTitle;
                    e.abstractText = text;
                    e.finish(entries, rejected);
                    pendingTitle = null;
                }
            }
            if (line == null) {
                break;
            }
        }
        if (pendingTitle != null) {
            rejected.add(new ParsedListing.RejectedEntry(index, "title without an abstract at the end of the document"));
        }
        if (entries.isEmpty() && rejected.isEmpty()) {
            throw new ListingParseException("no listing entries found: expected paragraphs of a title followed by "
                    + "its abstract, separated by blank lines");
        }
        return new ParsedListing(PaperSighted.SourceKind.LISTING_TEXT, listingDate, entries, rejected,
                ParsedListing.Paging.NONE);
    }

    /** The date of a line like "Mar 11" or "March 11, 2026", or null; a year-less date is the latest not after today. */
    static LocalDate dateLine(String text, LocalDate today) {
        Matcher m = DATE_LINE.matcher(text.strip());
        if (!m.matches()) {
            return null;
        }
        Month month = null;
        for (Month candidate : Month.values()) {
            if (candidate.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(m.group(1))) {
                month = candidate;
            }
        }
        int day = Integer.parseInt(m.group(2));
        if (month == null || day < 1 || day > month.maxLength()) {
            return null;
        }
        if (m.group(3) != null) {
            return LocalDate.of(Integer.parseInt(m.group(3)), month, Math.min(day, month.length(Year.isLeap(Integer.parseInt(m.group(3))))));
        }
        LocalDate thisYear = LocalDate.of(today.getYear(), month, Math.min(day, month.length(today.isLeapYear())));
        return thisYear.isAfter(today) ? thisYear.minusYears(1) : thisYear;
    }
}
