package io.paperwire.notify.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.paperwire.notify.config.NotifyConfig;
import io.paperwire.testing.TestStack;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.paperwire.support.net.NoDelaySockets;
import io.paperwire.support.net.NoDelayTlsSockets;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.Test;

/** The mailer on its own, against the real test SMTP server and a server that offers no STARTTLS. */
class SmtpMailerTest {

    static NotifyConfig config(int port, String startTls) {
        return config(port, startTls, false);
    }

    static NotifyConfig config(int port, String startTls, boolean tls) {
        Map<String, String> p = new HashMap<>();
        p.put("paperwire.notify.smtp.tls", String.valueOf(tls));
        p.put("paperwire.notify.link-secret", "a-link-secret-used-only-by-this-unit-test");
        p.put("paperwire.notify.smtp.host", "127.0.0.1");
        p.put("paperwire.notify.smtp.port", String.valueOf(port));
        p.put("paperwire.notify.smtp.start-tls", startTls);
        p.put("paperwire.notify.smtp.pool-size", "2");
        p.put("paperwire.notify.mail-timeout", "PT5S");
        return new SmallRyeConfigBuilder().withMapping(NotifyConfig.class).addDefaultInterceptors()
                .withSources(new PropertiesConfigSource(p, "test", 500)).build().getConfigMapping(NotifyConfig.class);
    }

    @Test
    void mailsArriveAsMultipartWithTheComposersHeaders() {
        SmtpMailer mailer = new SmtpMailer(config(TestStack.mail().smtpPort(), "disabled"));
        String tag = UUID.randomUUID().toString().substring(0, 8);
        try {
            for (int i = 0; i < 5; i++) {
                mailer.send(new OutgoingMail("unit-" + tag + "-" + i + "@example.org", "Héllo " + i, "<p>é &amp; " + i + "</p>", "é " + i,
                        Map.of("Message-ID", "<fixed." + tag + "." + i + "@paperwire>")));
            }
        } finally {
            mailer.closeAll();
        }
        for (int i = 0; i < 5; i++) {
            var received = TestStack.mail().messagesTo("unit-" + tag + "-" + i + "@example.org");
            assertThat(received).hasSize(1);
            assertThat(received.get(0).path("subject").asText()).isEqualTo("Héllo " + i);
            assertThat(received.get(0).path("raw").asText()).contains("Message-ID: <fixed." + tag + "." + i + "@paperwire>")
                    .contains("multipart/alternative").contains("text/html; charset=UTF-8");
        }
    }

    @Test
    void partsEncodedByTheMailerDecodeToExactlyTheComposedText() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String text = "Ünïcode – “quotes” 数学 🚀\n.a line starting with a dot\n=equals= and trailing spaces   \n"
                + "x".repeat(300) + "\n\tindented\n";
        String html = "<p>" + "é".repeat(120) + "</p>\n<a href=\"https://e.org/?a=1&amp;b=2\">link</a>\n";
        SmtpMailer mailer = new SmtpMailer(config(TestStack.mail().smtpPort(), "disabled"));
        try {
            mailer.send(new OutgoingMail("qp-" + tag + "@example.org", "QP", html, text));
        } finally {
            mailer.closeAll();
        }
        String raw = TestStack.mail().messagesTo("qp-" + tag + "@example.org").get(0).path("raw").asText();
        var message = new MimeMessage(Session.getInstance(new Properties()),
                new ByteArrayInputStream(raw.getBytes(StandardCharsets.UTF_8)));
        var parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain; charset=UTF-8");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html; charset=UTF-8");
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(text);
        assertThat(((String) parts.getBodyPart(1).getContent()).replace("\r\n", "\n")).isEqualTo(html);
        assertThat(raw.lines()).as("no line over SMTP's limit of 998 characters").allMatch(l -> l.length() <= 998);
    }

    @Test
    void theMailersConnectionsHaveNagleOffWhereTheJdksDefaultHasItOn() throws Exception {
        int port = TestStack.mail().smtpPort();
        // The mailer's own session properties, for a plain and a STARTTLS server (whose TLS runs over the same socket).
        assertThat(SmtpMailer.properties(config(port, "optional").smtp(), Duration.ofSeconds(5)).get("mail.smtp.socketFactory"))
                .isInstanceOf(NoDelaySockets.class);
        Properties mailers = SmtpMailer.properties(config(port, "disabled").smtp(), Duration.ofSeconds(5));
        Properties defaults = new Properties();
        defaults.put("mail.smtp.host", "127.0.0.1");
        defaults.put("mail.smtp.port", String.valueOf(port));
        assertThat(noDelayOfAConnection(mailers, port)).as("the mailer's connection").isTrue();
        assertThat(noDelayOfAConnection(defaults, port)).as("JavaMail's default, so the above is the mailer's doing").isFalse();
    }

    @Test
    void smtpsConnectionsHaveNagleOffToo() throws Exception {
        Properties smtps = SmtpMailer.properties(config(465, "disabled", true).smtp(), Duration.ofSeconds(5));
        assertThat(smtps.get("mail.smtp.ssl.socketFactory")).isInstanceOf(NoDelayTlsSockets.class);
        assertThat(smtps.get("mail.smtp.ssl.checkserveridentity")).as("the server's name is still checked").isEqualTo("true");
        // Through JavaMail: a session on the mailer's SMTPS properties, the factory wrapped to see the socket it makes,
        // connecting to a server that accepts and never answers the TLS handshake (so the socket stays open to read).
        List<Socket> made = new CopyOnWriteArrayList<>();
        smtps.put("mail.smtp.ssl.socketFactory", new NoDelayTlsSockets(new SeenSockets(made)));
        try (ServerSocket server = new ServerSocket(0)) {
            smtps.put("mail.smtp.port", String.valueOf(server.getLocalPort()));
            Transport t = Session.getInstance(smtps).getTransport("smtp");
            Thread client = new Thread(() -> {
                try {
                    t.connect("127.0.0.1", server.getLocalPort(), null, null);
                } catch (Exception expected) {
                    // the server hung up mid-handshake
                }
            });
            client.setDaemon(true);
            client.start();
            try (Socket accepted = server.accept()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !made.isEmpty());
                assertThat(made.get(0).getTcpNoDelay()).isTrue();
            }
            client.join(10_000);
        }
    }

    /** The JDK's TLS sockets, each one remembered. */
    private static final class SeenSockets extends SSLSocketFactory {
        private final SSLSocketFactory tls = (SSLSocketFactory) SSLSocketFactory.getDefault();
        private final List<Socket> made;

        SeenSockets(List<Socket> made) {
            this.made = made;
        }

        private Socket seen(Socket s) {
            made.add(s);
            return s;
        }

        @Override
        public Socket createSocket() throws IOException {
            return seen(tls.createSocket());
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return seen(tls.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
            return seen(tls.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return seen(tls.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
            return seen(tls.createSocket(host, port, local, localPort));
        }

        @Override
        public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
            return seen(tls.createSocket(plain, host, port, autoClose));
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return tls.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return tls.getSupportedCipherSuites();
        }
    }

    /** Connects a JavaMail session to the server and reads TCP_NODELAY off the socket it opened. */
    private static boolean noDelayOfAConnection(Properties properties, int port) throws Exception {
        Transport t = Session.getInstance(properties).getTransport("smtp");
        t.connect("127.0.0.1", port, null, null);
        try {
            Field socket = SMTPTransport.class.getDeclaredField("serverSocket");
            socket.setAccessible(true);
            return ((Socket) socket.get(t)).getTcpNoDelay();
        } finally {
            t.close();
        }
    }

    @Test
    void anAddressThatCannotBeWrittenIsAPermanentFailureBeforeAnyConnection() {
        // Port 9 on loopback: nothing listens, so reaching the server at all would fail differently.
        SmtpMailer mailer = new SmtpMailer(config(9, "disabled"));
        assertThatThrownBy(() -> mailer.send(new OutgoingMail("two@at@example.org", "s", "<p>h</p>", "h")))
                .isInstanceOf(SmtpMailer.MailFailure.class).hasMessageContaining("could not compose the mail to two@at@example.org")
                .satisfies(e -> assertThat(((SmtpMailer.MailFailure) e).permanent()).isTrue());
        assertThatThrownBy(() -> mailer.send(new OutgoingMail("someone@example.org", "s", "<p>h</p>", "h")))
                .isInstanceOf(SmtpMailer.MailFailure.class).hasMessageContaining("could not be sent")
                .satisfies(e -> assertThat(((SmtpMailer.MailFailure) e).permanent()).as("a server that is down").isFalse());
    }

    @Test
    void requiredStartTlsNeverSendsInTheClearToAServerWithoutIt() throws Exception {
        List<String> seen = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0)) {
            Thread t = new Thread(() -> {
                try (Socket s = server.accept();
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                        PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII)) {
                    out.print("220 plain.test ESMTP\r\n");
                    out.flush();
                    for (String line; (line = in.readLine()) != null; ) {
                        seen.add(line);
                        out.print(line.toUpperCase().startsWith("QUIT") ? "221 bye\r\n" : "250 plain.test\r\n");
                        out.flush();
                    }
                } catch (Exception ignored) {
                    // the client went away
                }
            });
            t.setDaemon(true);
            t.start();
            SmtpMailer mailer = new SmtpMailer(config(server.getLocalPort(), "required"));
            assertThatThrownBy(() -> mailer.send(new OutgoingMail("someone@example.org", "s", "<p>h</p>", "h")))
                    .isInstanceOf(SmtpMailer.MailFailure.class).hasMessageContaining("STARTTLS")
                    .satisfies(e -> assertThat(((SmtpMailer.MailFailure) e).permanent()).isFalse());
            assertThat(seen).noneMatch(l -> l.toUpperCase().startsWith("MAIL FROM") || l.toUpperCase().startsWith("AUTH"));
        }
    }
}
