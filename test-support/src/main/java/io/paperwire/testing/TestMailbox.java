package io.paperwire.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads what the shared SMTP server received, through the same HTTP API as {@code paperwire mail}. */
public final class TestMailbox {

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final int smtpPort;
    private final String apiUrl;

    TestMailbox(int smtpPort, String apiUrl) {
        this.smtpPort = smtpPort;
        this.apiUrl = apiUrl;
    }

    public int smtpPort() {
        return smtpPort;
    }

    /** Messages received for {@code address} (every message when null), oldest first. */
    public List<JsonNode> messagesTo(String address) {
        String query = address == null ? "" : "?to=" + URLEncoder.encode(address, StandardCharsets.UTF_8);
        try {
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(apiUrl + "/messages" + query)).build(),
                    HttpResponse.BodyHandlers.ofString());
            List<JsonNode> out = new ArrayList<>();
            JSON.readTree(r.body()).forEach(out::add);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the test mailbox at " + apiUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
