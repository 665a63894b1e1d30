package io.paperwire.system;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * arXiv's API as the title resolver meets it, standing in for the outside internet: it knows every title it is asked
 * about ({@code ti:"words"}) and answers with one paper of that title, under an arXiv id derived from the title;
 * except a title with the word {@value #UNKNOWN}, which it knows nothing of.
 */
final class FakeArxiv {

    static final String UNKNOWN = "Unlisted";
    private static final Pattern TITLE = Pattern.compile("ti:\"([^\"]*)\"");

    private FakeArxiv() {
    }

    static HttpServer start() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/query", ex -> {
            String query = URLDecoder.decode(ex.getRequestURI().getRawQuery(), StandardCharsets.UTF_8);
            Matcher m = TITLE.matcher(query);
            String title = m.find() ? m.group(1) : "";
            byte[] body = (title.contains(UNKNOWN) ? atom(null, null) : atom(idOf(title), title)).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/atom+xml");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        return server;
    }

    /** The id the fake gives a title (its words, as asked): the same title always has the same id. */
    static String idOf(String title) {
        String words = String.join(" ", title.split("[^\\p{L}\\p{N}]+")).strip().toLowerCase();
        return "2612." + String.format("%05d", Math.floorMod(words.hashCode(), 100000));
    }

    private static String atom(String id, String title) {
        if (id == null) {
            return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><id>http://arxiv.org/api/fake</id>"
                    + "<title>ArXiv Query</title><updated>2026-12-01T00:00:00Z</updated></feed>";
        }
        String escaped = title.replace("&", "&amp;").replace("<", "&lt;");
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <feed xmlns="http://www.w3.org/2005/Atom">
                  <id>http://arxiv.org/api/fake</id><title>ArXiv Query</title><updated>2026-12-01T00:00:00Z</updated>
                  <entry>
                    <id>http://arxiv.org/abs/%sv1</id>
                    <updated>2026-11-30T10:00:00Z</updated><published>2026-11-30T10:00:00Z</published>
                    <title>%s</title>
                    <summary>As arXiv lists it.</summary>
                    <author><name>Fake Arxiv Author</name></author>
                  </entry>
                </feed>""".formatted(id, escaped);
    }
}
