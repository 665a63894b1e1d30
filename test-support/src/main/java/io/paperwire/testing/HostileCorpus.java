package io.paperwire.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * Listing documents written to hurt whoever reads them, in every format ingest takes: control characters and NUL,
 * invalid UTF-8, oversize fields and entries, endless lists, deep or huge JSON, entity expansion, XXE, millions of tiny
 * entries, bodies over the limit. Each says what a correct ingest answers: 202 with some entries accepted (the good
 * ones travel with the bad), or a 4xx problem. Large documents are generated, not stored.
 *
 * <p>{@code marker} is put in every good entry's title, so a test can find exactly those in the catalogue.
 */
public final class HostileCorpus {

    /** One hostile document and the answer it must get. */
    public record Document(String name, String contentType, Supplier<byte[]> body, int status, List<String> goodTitles,
            String why) {
    }

    private HostileCorpus() {
    }

    /** The corpus; {@code maxBytes} is the service's document limit (10 MB on the local stack, 1 MB in tests). */
    public static List<Document> documents(String marker, long maxBytes) {
        List<Document> d = new ArrayList<>();
        String good1 = "Hostile Corpus Good Entry One " + marker;
        String good2 = "Hostile Corpus Good Entry Two " + marker;
        String good3 = "Hostile Corpus Good Entry Three " + marker;
        String good4 = "Hostile Corpus Good Entry Four " + marker;

        d.add(new Document("hf-nul-and-controls.json", "application/json", () -> utf8("[" + hf(good1 + "\\u0000 \\u0001\\u0007", "NUL\\u0000 in the "
                + "abstract \\u0085 and a lone \\ud800 surrogate", "Ada\\u0000 Lovelace") + "," + hf("\\u0000\\u0001\\u0002", "only controls", "X") + "]"),
                202, List.of(good1), "NUL and control characters are removed, a title of nothing but controls is rejected"));
        d.add(new Document("text-invalid-utf8.txt", "text/plain", () -> concat(utf8(good2 + "\n\nAn abstract with invalid bytes: "),
                new byte[] {(byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE, (byte) 0xED, (byte) 0xA0, (byte) 0x80}, utf8(" end.\n")),
                202, List.of(good2), "invalid UTF-8 becomes U+FFFD, the entry is kept"));
        d.add(new Document("hf-invalid-utf8.json", "application/json", () -> concat(utf8("[{\"paper\":{\"title\":\""),
                new byte[] {(byte) 0xC3, 0x28}, utf8("\"}}]")), 400, List.of(), "JSON that is not UTF-8 is a 400"));
        String nameTooLong = "Name Too Long " + marker;
        String endless = "Endless Links " + marker;
        d.add(new Document("hf-oversize-fields.json", "application/json", () -> utf8("[" + hf("T".repeat(600), "an abstract", "A")
                + "," + hf("Abstract Too Long " + marker, "a".repeat(20_000), "A") + "," + hf(nameTooLong, "x", "N".repeat(300))
                + "," + hfAuthors(good3, 2_000) + "]"),
                202, List.of(nameTooLong, good3), "an over-long title or abstract rejects its entry alone; an over-long author name "
                        + "is left out; 2,000 authors are cut to the first 500"));
        d.add(new Document("atom-endless-links-and-categories.xml", "application/atom+xml", () -> utf8(atom(endless, good4)),
                202, List.of(endless, good4), "an entry with 500 links and 500 categories keeps the first 20 of each"));
        String good5 = "Hostile Corpus Good Entry Five " + marker;
        d.add(new Document("oai-controls-and-xxe.xml", "application/xml", () -> utf8(oai(good5 + " &#x85;&#x7F;\u0085", "")), 202,
                List.of(good5), "C1 controls and DEL, valid in XML 1.0, are removed; the deleted record is not ingested"));
        d.add(new Document("oai-xxe.xml", "application/xml", () -> utf8(oai("XXE &xxe; " + marker,
                "<!DOCTYPE OAI-PMH [<!ENTITY xxe SYSTEM \"file:///etc/hostname\">]>")), 400, List.of(), "an external entity in OAI-PMH"));
        d.add(new Document("hf-deep.json", "application/json", () -> utf8("[" + "[".repeat(100_000) + "]".repeat(100_000) + "]"),
                400, List.of(), "nesting deeper than the parser allows is a 400, not a stack overflow"));
        d.add(new Document("hf-number-bomb.json", "application/json", () -> utf8("[{\"paper\":{\"title\":\"n\",\"upvotes\":1" + "0".repeat(5_000)
                + "}}]"), 400, List.of(), "a 5,000-digit number is a 400"));
        d.add(new Document("xml-billion-laughs.xml", "application/atom+xml", () -> utf8("""
                <?xml version="1.0"?>
                <!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
                <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
                <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
                <feed xmlns="http://www.w3.org/2005/Atom"><entry><title>&lol3;</title></entry></feed>"""), 400, List.of(),
                "a DTD is refused: no entity expansion"));
        d.add(new Document("xml-xxe.xml", "application/rss+xml", () -> utf8("""
                <?xml version="1.0"?>
                <!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <rss version="2.0"><channel><item><title>&xxe;</title></item></channel></rss>"""), 400, List.of(),
                "an external entity is never resolved"));
        d.add(new Document("xml-control-char-reference.xml", "application/rss+xml", () -> utf8("""
                <?xml version="1.0"?>
                <rss version="2.0"><channel><item><title>Bell &#7; in XML</title><description>x</description></item></channel></rss>"""),
                400, List.of(), "a character reference XML 1.0 forbids makes the document unparseable"));
        d.add(new Document("text-millions-of-tiny-entries.txt", "text/plain", () -> tiny(maxBytes - 16), 413, List.of(),
                "more entries than a document may carry is refused before they are all held"));
        d.add(new Document("hf-many-empty-entries.json", "application/json", () -> utf8("[" + "{},".repeat(20_000) + "{}]"), 413, List.of(),
                "20,001 entries"));
        d.add(new Document("over-the-limit.txt", "text/plain", () -> filled(maxBytes + 1), 413, List.of(), "one byte over the body limit"));
        d.add(new Document("truncated.atom.xml", "application/atom+xml", () -> utf8("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>cut"),
                400, List.of(), "a truncated document publishes nothing"));
        d.add(new Document("binary.json", "application/json", () -> new byte[] {0, 1, 2, 3, (byte) 0xFF, (byte) 0xD8, 0x7F}, 400, List.of(),
                "binary garbage"));
        d.add(new Document("unknown-type.bin", "application/octet-stream", () -> utf8("x"), 415, List.of(), "an unknown type"));
        return d;
    }

    private static String oai(String title, String doctype) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + doctype + """
                <OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2026-12-01T00:00:00Z</responseDate>
                <ListRecords>
                <record><header><identifier>oai:arXiv.org:2612.00001</identifier><datestamp>2026-12-01</datestamp></header>
                <metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>2612.00001</id>
                <authors><author><keyname>Lovelace</keyname><forenames>Ada</forenames></author></authors>
                <title>""" + title + """
                </title><categories>cs.LG</categories><abstract>An abstract.</abstract></arXiv></metadata></record>
                <record><header status="deleted"><identifier>oai:arXiv.org:2612.00002</identifier>
                <datestamp>2026-12-01</datestamp></header></record>
                </ListRecords></OAI-PMH>""";
    }

    private static String hf(String title, String summary, String author) {
        return "{\"paper\":{\"title\":\"" + title + "\",\"summary\":\"" + summary + "\",\"authors\":[{\"name\":\"" + author
                + "\"}],\"upvotes\":3},\"publishedAt\":\"2026-12-01T00:00:00.000Z\"}";
    }

    private static String hfAuthors(String title, int authors) {
        StringBuilder b = new StringBuilder("{\"paper\":{\"title\":\"" + title + "\",\"summary\":\"Many authors.\",\"authors\":[");
        for (int i = 0; i < authors; i++) {
            b.append(i == 0 ? "" : ",").append("{\"name\":\"Author ").append(i).append("\"}");
        }
        return b.append("]},\"publishedAt\":\"2026-12-01T00:00:00.000Z\"}").toString();
    }

    private static String atom(String endless, String good) {
        StringBuilder b = new StringBuilder("<feed xmlns=\"http://www.w3.org/2005/Atom\"><entry><title>").append(endless)
                .append("</title><summary>s</summary>");
        for (int i = 0; i < 500; i++) {
            b.append("<link href=\"https://mirror.example/").append(i).append("\"/><category term=\"c").append(i).append("\"/>");
        }
        return b.append("</entry><entry><title>").append(good).append("</title><summary>A good entry.</summary></entry></feed>").toString();
    }

    /** Title and abstract paragraphs of one character each: a quarter of a million entries per megabyte. */
    private static byte[] tiny(long bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) bytes);
        byte[] pair = "t\n\na\n\n".getBytes(StandardCharsets.US_ASCII);
        while (out.size() + pair.length <= bytes) {
            out.writeBytes(pair);
        }
        return out.toByteArray();
    }

    private static byte[] filled(long bytes) {
        byte[] b = new byte[(int) bytes];
        Arrays.fill(b, (byte) 'a');
        return b;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
