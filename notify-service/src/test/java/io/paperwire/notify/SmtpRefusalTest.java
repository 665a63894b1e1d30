package io.paperwire.notify;

import static org.assertj.core.api.Assertions.assertThat;

import io.paperwire.notify.model.Frequency;
import io.paperwire.notify.model.SubscriptionKind;
import io.paperwire.notify.model.SubscriptionStatus;
import io.paperwire.notify.repository.SubscriptionEntity;
import io.paperwire.notify.digest.DigestSender;
import io.paperwire.testing.KafkaResource;
import io.paperwire.testing.PostgresResource;
import io.paperwire.testing.SmtpResource;
import io.quarkus.hibernate.orm.panache.Panache;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import jakarta.inject.Inject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hamcrest.Matchers;
import org.junit.jupiter.api.Test;

/**
 * A mail server that refuses: a permanent 550 for one recipient marks the address bounced and ends the job; a
 * transient 451 puts the job back in the queue with a later attempt, and so does a server that stops answering; a
 * confirmation mail that cannot be sent is a problem answer. The refusing server is a few lines of SMTP standing in
 * for someone else's mail server on the internet.
 */
@QuarkusTest
@TestProfile(SmtpRefusalTest.RefusingServer.class)
@WithTestResource(value = KafkaResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = PostgresResource.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = SmtpResource.class, scope = TestResourceScope.GLOBAL)
class SmtpRefusalTest {

    static final ServerSocket SERVER = refusingServer();

    /** Mail goes to the refusing server. */
    public static class RefusingServer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("paperwire.notify.smtp.port", String.valueOf(SERVER.getLocalPort()), "paperwire.notify.mail-timeout", "PT3S");
        }
    }

    @Inject
    DigestSender sender;

    static ServerSocket refusingServer() {
        try {
            ServerSocket server = new ServerSocket(0);
            Thread accept = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread conversation = new Thread(() -> converse(s));
                        conversation.setDaemon(true);
                        conversation.start();
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            accept.setDaemon(true);
            accept.start();
            return server;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void converse(Socket s) {
        try (s; BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                PrintWriter out = new PrintWriter(s.getOutputStream(), true, StandardCharsets.US_ASCII)) {
            out.print("220 refusing.test ESMTP\r\n");
            out.flush();
            for (String line; (line = in.readLine()) != null; ) {
                String cmd = line.toUpperCase();
                if (cmd.startsWith("EHLO") || cmd.startsWith("HELO")) {
                    out.print("250 refusing.test\r\n");
                } else if (cmd.startsWith("RCPT TO") && cmd.contains("BOUNCE-")) {
                    out.print("550 5.1.1 no such mailbox\r\n");
                } else if (cmd.startsWith("RCPT TO") && cmd.contains("SILENT-")) {
                    // A server that stops answering mid-conversation: no reply, the connection stays open.
                    while (in.readLine() != null) {
                        // swallow whatever comes until the client gives up and closes
                    }
                    return;
                } else if (cmd.startsWith("RCPT TO") && cmd.contains("LATER-")) {
                    out.print("451 4.3.0 try again later\r\n");
                } else if (cmd.equals("DATA")) {
                    out.print("354 go ahead\r\n");
                    out.flush();
                    for (String data; (data = in.readLine()) != null && !data.equals("."); ) {
                        // the message: accepted and forgotten
                    }
                    out.print("250 2.0.0 queued\r\n");
                } else if (cmd.startsWith("QUIT")) {
                    out.print("221 bye\r\n");
                    out.flush();
                    return;
                } else {
                    out.print("250 ok\r\n");
                }
                out.flush();
            }
        } catch (IOException ignored) {
            // the client went away
        }
    }

    static UUID active(String email) {
        return QuarkusTransaction.requiringNew().call(() -> {
            SubscriptionEntity s = new SubscriptionEntity();
            s.id = UUID.randomUUID();
            s.kind = SubscriptionKind.EMAIL;
            s.email = email;
            s.status = SubscriptionStatus.ACTIVE;
            s.frequency = Frequency.DAILY;
            s.timezone = "UTC";
            s.sendHour = 0;
            s.maxPapers = 5;
            s.createdAt = Instant.now();
            s.confirmedAt = Instant.now();
            s.keywords = new ArrayList<>(List.of(email.substring(0, email.indexOf('@'))));
            Subscribers.subscriptions().persist(s);
            return s.id;
        });
    }

    static Object[] job(UUID id) {
        return QuarkusTransaction.requiringNew().call(() -> (Object[]) Panache.getEntityManager()
                .createNativeQuery("select status, attempts, next_attempt_at > now(), last_error from digest_job where subscription_id = ?1")
                .setParameter(1, id).getSingleResult());
    }

    /** An active subscriber whose address tells the refusing server what to answer, and a paper for its digest. */
    static UUID activeWithANewPaper(String verdict) throws Exception {
        String w = Subscribers.word();
        UUID id = active(verdict + "-" + w + "@example.org");
        Subscribers.papers(Subscribers.paper("Paper for " + verdict + "-" + w, null, List.of(), 3));
        return id;
    }

    @Test
    void aPermanentRefusalMarksTheAddressBouncedAndEndsTheJob() throws Exception {
        UUID bounce = activeWithANewPaper("bounce");

        Subscribers.runDigests();

        Object[] failed = job(bounce);
        assertThat(failed[0]).isEqualTo("failed");
        assertThat((String) failed[3]).contains("550");
        assertThat(QuarkusTransaction.requiringNew().call(() -> Subscribers.subscriptions().findById(bounce).status))
                .isEqualTo(SubscriptionStatus.BOUNCED);
    }

    @Test
    void aTransientRefusalIsRetriedLater() throws Exception {
        UUID later = activeWithANewPaper("later");

        Subscribers.runDigests();

        assertQueuedAgainAfterOneAttempt(later, "451");
    }

    @Test
    void aServerThatStopsAnsweringTimesTheSendOutAndItIsRetriedLater() throws Exception {
        UUID silent = activeWithANewPaper("silent");

        // Returns at all only because every SMTP step has a deadline (3 s here): without one the pass waits forever.
        Subscribers.runDigests();

        assertQueuedAgainAfterOneAttempt(silent, "did not answer within 3 s");
    }

    /** A transient failure: the job is due again after a backoff, with the reason, and the address stays active. */
    static void assertQueuedAgainAfterOneAttempt(UUID id, String reason) {
        Object[] retried = job(id);
        assertThat(retried[0]).isEqualTo("due");
        assertThat(((Number) retried[1]).intValue()).isEqualTo(1);
        assertThat(retried[2]).as("next attempt after a backoff").isEqualTo(true);
        assertThat((String) retried[3]).contains(reason);
        assertThat(QuarkusTransaction.requiringNew().call(() -> Subscribers.subscriptions().findById(id).status))
                .isEqualTo(SubscriptionStatus.ACTIVE);
    }

    @Test
    void aConfirmationTheServerCannotTakeIsAProblemAndLeavesTheSubscriptionPending() {
        String w = Subscribers.word();
        String silent = "silent-" + w + "@example.org";
        RestAssured.given().contentType("application/json").header("X-Test-Client", "client-" + w)
                .body("{\"email\":\"" + silent + "\"}").post("/api/v1/subscriptions")
                .then().statusCode(503).contentType("application/problem+json")
                .body("detail", Matchers.containsString("try again"));
        String bounce = "bounce-" + w + "@example.org";
        RestAssured.given().contentType("application/json").header("X-Test-Client", "client-" + w)
                .body("{\"email\":\"" + bounce + "\"}").post("/api/v1/subscriptions")
                .then().statusCode(422).contentType("application/problem+json")
                .body("detail", Matchers.containsString("refused"));

        for (String address : List.of(silent, bounce)) {
            assertThat(QuarkusTransaction.requiringNew()
                    .call(() -> Subscribers.subscriptions().find("email", address).firstResult().status))
                    .as(address).isEqualTo(SubscriptionStatus.PENDING);
        }
    }
}
