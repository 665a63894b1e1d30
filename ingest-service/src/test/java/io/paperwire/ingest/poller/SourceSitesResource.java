package io.paperwire.ingest.poller;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The outside internet for poller and resolver tests: a real HTTP server (WireMock) on a free port, one configured
 * source per scenario pointing at it, and arXiv's API for the title resolver. The scheduler is off; tests poll through the API.
 */
public class SourceSitesResource implements QuarkusTestResourceLifecycleManager {

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        server.start();
        String base = "http://127.0.0.1:" + server.port();
        Map<String, String> c = new HashMap<>();
        c.put("paperwire.poller.enabled", "false");
        c.put("paperwire.poller.default-host-interval", "10ms");
        c.put("paperwire.poller.host-interval.\"127.0.0.1\"", "10ms");
        c.put("paperwire.poller.initial-backoff", "100ms");
        c.put("paperwire.poller.max-backoff", "1s");
        c.put("paperwire.poller.request-timeout", "1s");
        c.put("paperwire.poller.max-attempts", "3");
        // arXiv's API for the title resolver (TitleResolverTest stubs its answers under /arxiv).
        c.put("paperwire.ingest.resolver.base-url", base + "/arxiv");
        source(c, "hf-etag", "hf-daily", base + "/hf/api/daily_papers");
        source(c, "api-pages", "arxiv-api", base + "/api/query?search_query=cat:cs.LG&start=0&max_results=2");
        source(c, "oai-resume", "arxiv-oai", base + "/oai2?verb=ListRecords&metadataPrefix=arXiv&set=cs");
        source(c, "rss-flaky", "arxiv-rss", base + "/rss/cs.LG");
        source(c, "atom-throttled", "arxiv-atom", base + "/atom/throttled");
        source(c, "atom-slow", "arxiv-atom", base + "/atom/slow");
        source(c, "atom-empty", "arxiv-atom", base + "/atom/empty");
        source(c, "leased", "arxiv-rss", base + "/rss/leased");
        source(c, "text-page", "listing-text", base + "/papers/listing.txt");
        source(c, "api-repoll", "arxiv-api", base + "/api2/query?search_query=cat:cs.AI&start=0&max_results=2");
        source(c, "huge", "arxiv-atom", base + "/hostile/huge");
        source(c, "drip", "arxiv-atom", base + "/hostile/drip");
        source(c, "redirect-away", "arxiv-atom", base + "/hostile/away");
        source(c, "redirect-home", "arxiv-atom", base + "/hostile/home");
        source(c, "redirect-loop", "arxiv-atom", base + "/hostile/loop");
        return c;
    }

    private static void source(Map<String, String> c, String name, String kind, String url) {
        c.put("paperwire.sources." + name + ".kind", kind);
        c.put("paperwire.sources." + name + ".url", url);
        c.put("paperwire.sources." + name + ".interval", "1h");
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
