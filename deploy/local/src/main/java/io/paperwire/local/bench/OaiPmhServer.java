package io.paperwire.local.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A stand-in for arXiv's OAI-PMH endpoint ({@code ListRecords}, metadata format {@code arXiv}) serving {@code n}
 * records in pages of {@code pageSize}, each page naming the next by a resumption token with the list's
 * {@code completeListSize}, as a full harvest sees it. Pages are made from the record numbers when asked, so millions of
 * records cost no memory.
 */
final class OaiPmhServer implements AutoCloseable {

    /** One record's metadata. */
    record Paper(String arxivId, String title, String abstractText, String author) {
    }

    private final HttpServer server;
    private final int n;
    private final int pageSize;
    private final IntFunction<Paper> papers;
    private final AtomicLong pagesServed = new AtomicLong();

    OaiPmhServer(int n, int pageSize, IntFunction<Paper> papers) throws IOException {
        this.n = n;
        this.pageSize = pageSize;
        this.papers = papers;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        server.createContext("/oai", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.start();
    }

    /** The harvest's first request, as a source's configured address. */
    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/oai?verb=ListRecords&metadataPrefix=arXiv";
    }

    long pagesServed() {
        return pagesServed.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String query = URI.create(ex.getRequestURI().toString()).getRawQuery();
            int page = 0;
            for (String p : query == null ? new String[0] : query.split("&")) {
                if (p.startsWith("resumptionToken=")) {
                    page = Integer.parseInt(p.substring("resumptionToken=".length()).replace("page-", ""));
                }
            }
            byte[] body = page(page).getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/xml; charset=utf-8");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
            pagesServed.incrementAndGet();
        } catch (RuntimeException e) {
            ex.sendResponseHeaders(500, -1);
        }
    }

    private String page(int page) {
        int from = page * pageSize;
        int to = Math.min(n, from + pageSize);
        StringBuilder b = new StringBuilder(to > from ? (to - from) * 1_400 : 512);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\">\n")
                .append("<responseDate>2026-12-01T00:00:00Z</responseDate>\n<request verb=\"ListRecords\">bench</request>\n<ListRecords>\n");
        for (int i = from; i < to; i++) {
            Paper p = papers.apply(i);
            b.append("<record><header><identifier>oai:arXiv.org:").append(p.arxivId()).append("</identifier><datestamp>2026-11-30")
                    .append("</datestamp><setSpec>cs</setSpec></header><metadata><arXiv xmlns=\"http://arxiv.org/OAI/arXiv/\"><id>")
                    .append(p.arxivId()).append("</id><created>2026-11-30</created><authors><author><keyname>")
                    .append(p.author()).append("</keyname><forenames>A.</forenames></author></authors><title>").append(p.title())
                    .append("</title><categories>cs.LG</categories><abstract>").append(p.abstractText())
                    .append("</abstract></arXiv></metadata></record>\n");
        }
        // The last page's token is empty: the list is complete.
        b.append("<resumptionToken completeListSize=\"").append(n).append("\" cursor=\"").append(from).append("\">")
                .append(to < n ? "page-" + (page + 1) : "").append("</resumptionToken>\n</ListRecords>\n</OAI-PMH>\n");
        return b.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
