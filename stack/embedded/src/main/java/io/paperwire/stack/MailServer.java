package io.paperwire.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.icegreen.greenmail.user.GreenMailUser;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import jakarta.mail.Address;
import jakarta.mail.Header;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Locale;

/**
 * A real SMTP server (GreenMail) whose received mail can be read back over a small HTTP API:
 * {@code GET /messages[?to=ADDRESS]} answers {@code [{"to", "subject", "headers": {..}, "text", "html", "raw"}]} ({@code raw}: the whole MIME source),
 * {@code DELETE /messages} empties the mailbox, {@code GET /health} answers 200. The launcher's
 * {@code mail} command and the tests both read mail through it.
 */
public final class MailServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CATCH_ALL = "all-mail@paperwire.local";

    private final GreenMail greenMail;
    private final HttpServer api;
    private final int smtpPort;

    private MailServer(GreenMail greenMail, HttpServer api, int smtpPort) {
        this.greenMail = greenMail;
        this.api = api;
        this.smtpPort = smtpPort;
    }

    public static MailServer start(int smtpPort, int apiPort) {
        Ports.requireFree(smtpPort, "SMTP", "PAPERWIRE_SMTP_PORT");
        Ports.requireFree(apiPort, "the mail API", "PAPERWIRE_MAIL_API_PORT");
        GreenMail gm = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        gm.start();
        // Every message goes into one mailbox (they are told apart by their To header, as the API does). GreenMail
        // would otherwise make a user and mailbox per recipient, kept in a list that each delivery scans and each new
        // user copies: quadratic in the number of distinct recipients, which made the server itself the limit of
        // fan-out to 100,000 subscribers (and of the raw SMTP baseline that ran after it) rather than the sender.
        GreenMailUser catchAll = gm.setUser(CATCH_ALL, CATCH_ALL, CATCH_ALL);
        gm.getUserManager().setMessageDeliveryHandler((message, recipient) -> catchAll);
        try {
            HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), apiPort), 16);
            MailServer server = new MailServer(gm, http, smtpPort);
            http.createContext("/messages", server::messages);
            http.createContext("/health", ex -> respond(ex, 200, "{\"status\":\"UP\"}"));
            http.start();
            return server;
        } catch (IOException e) {
            gm.stop();
            throw new StackException("the mail API could not listen on port " + apiPort + ": " + e.getMessage(), e);
        }
    }

    public int smtpPort() {
        return smtpPort;
    }

    public String apiUrl() {
        return "http://127.0.0.1:" + api.getAddress().getPort();
    }

    @Override
    public void close() {
        api.stop(0);
        greenMail.stop();
    }

    private void messages(HttpExchange ex) throws IOException {
        try {
            switch (ex.getRequestMethod()) {
                case "GET" -> respond(ex, 200, JSON.writeValueAsString(toJson(queryParam(ex, "to"))));
                case "DELETE" -> {
                    greenMail.purgeEmailFromAllMailboxes();
                    respond(ex, 204, null);
                }
                default -> respond(ex, 405, "{\"title\":\"method not allowed\"}");
            }
        } catch (Exception e) {
            respond(ex, 500, JSON.writeValueAsString(JSON.createObjectNode().put("title", "cannot read mail")
                    .put("detail", String.valueOf(e.getMessage()))));
        }
    }

    private ArrayNode toJson(String to) throws MessagingException, IOException {
        ArrayNode out = JSON.createArrayNode();
        for (MimeMessage m : greenMail.getReceivedMessages()) {
            String recipients = join(m.getRecipients(Message.RecipientType.TO));
            if (to != null && !recipients.toLowerCase(Locale.ROOT).contains(to.toLowerCase(Locale.ROOT))) {
                continue;
            }
            ObjectNode msg = out.addObject();
            msg.put("to", recipients);
            msg.put("from", join(m.getFrom()));
            msg.put("subject", m.getSubject());
            msg.put("messageId", m.getMessageID());
            ObjectNode headers = msg.putObject("headers");
            for (Enumeration<Header> e = m.getAllHeaders(); e.hasMoreElements(); ) {
                Header h = e.nextElement();
                headers.put(h.getName(), h.getValue());
            }
            String[] bodies = new String[2];
            collect(m, bodies);
            msg.put("text", bodies[0]);
            msg.put("html", bodies[1]);
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            m.writeTo(raw);
            msg.put("raw", raw.toString(StandardCharsets.UTF_8));
        }
        return out;
    }

    private static void collect(Part part, String[] bodies) throws MessagingException, IOException {
        if (part.isMimeType("text/plain") && bodies[0] == null) {
            bodies[0] = String.valueOf(part.getContent());
        } else if (part.isMimeType("text/html") && bodies[1] == null) {
            bodies[1] = String.valueOf(part.getContent());
        } else if (part.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) part.getContent();
            for (int i = 0; i < mp.getCount(); i++) {
                collect(mp.getBodyPart(i), bodies);
            }
        }
    }

    private static String join(Address[] addresses) {
        return addresses == null ? "" : String.join(", ", Arrays.stream(addresses).map(Address::toString).toList());
    }

    private static String queryParam(HttpExchange ex, String name) {
        String q = ex.getRequestURI().getRawQuery();
        if (q == null) {
            return null;
        }
        for (String pair : q.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    private static void respond(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(bytes);
        }
    }
}
