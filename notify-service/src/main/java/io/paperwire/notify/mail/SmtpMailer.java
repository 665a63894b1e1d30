package io.paperwire.notify.mail;

import io.paperwire.notify.config.NotifyConfig;
import io.quarkus.scheduler.Scheduled;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.InternetHeaders;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.util.StreamProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Date;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import io.paperwire.support.net.NoDelaySockets;
import io.paperwire.support.net.NoDelayTlsSockets;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.eclipse.angus.mail.util.MailStreamProvider;
import org.eclipse.angus.mail.util.QPEncoderStream;
import org.jboss.logging.Logger;

/**
 * Sends mail over a small pool of SMTP connections (Jakarta Mail), on the caller's thread, with a socket deadline
 * on every step. It replaced the Quarkus mailer, whose Vert.x mail client (4.5) can drop a send for good: a request
 * made just as its pool's last connection closes is refused by a disposed endpoint, and the refusal is ignored.
 * Blocking sends suit the callers, which are worker threads anyway (digest senders, the subscribe request), and
 * cost less CPU per mail than the event-loop client did.
 */
@ApplicationScoped
public class SmtpMailer {

    private static final Logger LOG = Logger.getLogger(SmtpMailer.class);
    /** A connection idle longer than this is checked with a NOOP before it carries a mail. */
    private static final long CHECK_AFTER_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** A mail the server did not take. Permanent only when the server refused the recipient with a 5xx. */
    public static final class MailFailure extends RuntimeException {
        private final boolean permanent;

        MailFailure(String message, boolean permanent, Throwable cause) {
            super(message, cause, false, false);
            this.permanent = permanent;
        }

        /** True when retrying cannot help: the server said the address does not take mail. */
        public boolean permanent() {
            return permanent;
        }
    }

    private record Idle(Transport transport, long since) {
    }

    static {
        // Jakarta Mail finds its StreamProvider anew for every body part and multipart it creates, by a ServiceLoader
        // scan of the class path unless this property names the class: the scan was a fifth of a digest sender's CPU.
        if (System.getProperty(StreamProvider.class.getName()) == null) {
            System.setProperty(StreamProvider.class.getName(), MailStreamProvider.class.getName());
        }
    }

    private final Session session;
    private final NotifyConfig.Smtp smtp;
    private final InternetAddress from;
    private final Duration timeout;
    private final long maxIdleNanos;
    private final Semaphore connections;
    /** Most recently used first, so the oldest idle connections age out at the tail. */
    private final Deque<Idle> idle = new ConcurrentLinkedDeque<>();

    public SmtpMailer(NotifyConfig config) {
        this.smtp = config.smtp();
        this.timeout = config.mailTimeout();
        this.maxIdleNanos = smtp.maxIdle().toNanos();
        this.connections = new Semaphore(smtp.poolSize(), true);
        try {
            this.from = new InternetAddress(smtp.from(), true);
        } catch (MessagingException e) {
            throw new IllegalArgumentException("paperwire.notify.smtp.from is not a mail address: " + smtp.from(), e);
        }
        this.session = Session.getInstance(properties(smtp, timeout));
    }

    static Properties properties(NotifyConfig.Smtp smtp, Duration timeout) {
        Properties p = new Properties();
        String millis = String.valueOf(timeout.toMillis());
        p.put("mail.smtp.host", smtp.host());
        p.put("mail.smtp.port", String.valueOf(smtp.port()));
        p.put("mail.smtp.localhost", smtp.ownHostName());
        p.put("mail.smtp.connectiontimeout", millis);
        p.put("mail.smtp.timeout", millis);
        p.put("mail.smtp.writetimeout", millis);
        // Closing a pooled connection need not wait for the server's goodbye.
        p.put("mail.smtp.quitwait", "false");
        p.put("mail.smtp.auth", String.valueOf(smtp.username().isPresent()));
        p.put("mail.smtp.ssl.enable", String.valueOf(smtp.tls()));
        p.put("mail.smtp.ssl.checkserveridentity", "true");
        p.put("mail.smtp.starttls.enable", String.valueOf(smtp.startTls() != NotifyConfig.StartTls.DISABLED));
        p.put("mail.smtp.starttls.required", String.valueOf(smtp.startTls() == NotifyConfig.StartTls.REQUIRED));
        // Nagle off: each message otherwise waited about 40 ms for TCP's delayed acknowledgement, 22 messages per
        // second per connection (docs/benchmarks.md). A STARTTLS session keeps the plain socket underneath; an SMTPS
        // one is TLS from the start, over the JDK's default trust, its server name checked as above.
        if (smtp.tls()) {
            p.put("mail.smtp.ssl.socketFactory", new NoDelayTlsSockets());
        } else {
            p.put("mail.smtp.socketFactory", new NoDelaySockets());
            p.put("mail.smtp.socketFactory.fallback", "false");
        }
        return p;
    }

    /** Sends {@code mail} or throws {@link MailFailure} saying why the server did not take it. */
    public void send(OutgoingMail mail) {
        MimeMessage message = mime(mail);
        boolean acquired;
        try {
            acquired = connections.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailFailure("interrupted while waiting for a mail connection", false, e);
        }
        if (!acquired) {
            throw new MailFailure("all " + smtp.poolSize() + " mail connections stayed busy for " + timeout.toSeconds() + " s", false,
                    null);
        }
        try {
            Transport transport = borrow();
            try {
                transport.sendMessage(message, message.getAllRecipients());
            } catch (MessagingException | RuntimeException e) {
                // After a refusal the connection may be mid-conversation; a fresh one is cheaper than doubt.
                closeQuietly(transport);
                throw failure(e);
            }
            idle.addFirst(new Idle(transport, System.nanoTime()));
        } finally {
            connections.release();
        }
    }

    private Transport borrow() {
        for (Idle i; (i = idle.pollFirst()) != null; ) {
            long idleFor = System.nanoTime() - i.since();
            if (idleFor > maxIdleNanos) {
                closeQuietly(i.transport());
            } else if (idleFor > CHECK_AFTER_NANOS && !i.transport().isConnected()) {
                // isConnected() sends a NOOP: the server may have closed a connection that sat unused.
                closeQuietly(i.transport());
            } else {
                return i.transport();
            }
        }
        try {
            Transport t = session.getTransport("smtp");
            t.connect(smtp.host(), smtp.port(), smtp.username().orElse(null), smtp.password().orElse(null));
            return t;
        } catch (MessagingException e) {
            throw failure(e);
        }
    }

    /** Closes connections nobody used for {@code max-idle}, rather than leave them for the server to drop. */
    @Scheduled(every = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void closeIdle() {
        long now = System.nanoTime();
        for (Iterator<Idle> it = idle.descendingIterator(); it.hasNext(); ) {
            Idle i = it.next();
            if (now - i.since() > maxIdleNanos && idle.remove(i)) {
                closeQuietly(i.transport());
            }
        }
    }

    @PreDestroy
    void closeAll() {
        for (Idle i; (i = idle.pollFirst()) != null; ) {
            closeQuietly(i.transport());
        }
    }

    private MimeMessage mime(OutgoingMail mail) {
        try {
            MimeMessage m = new FixedIdMessage(session);
            m.setFrom(from);
            m.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
            m.setSubject(mail.subject(), "UTF-8");
            m.setSentDate(new Date());
            MimeMultipart alternative = new MimeMultipart("alternative");
            // Plain text first: readers show the last alternative they understand.
            alternative.addBodyPart(encoded(mail.text(), "text/plain"));
            alternative.addBodyPart(encoded(mail.html(), "text/html"));
            m.setContent(alternative);
            for (Map.Entry<String, String> h : mail.headers().entrySet()) {
                m.setHeader(h.getKey(), h.getValue());
            }
            m.saveChanges();
            return m;
        } catch (MessagingException e) {
            // Composed by us from validated input: a failure here is a bug, not the server's doing.
            throw new MailFailure("could not compose the mail to " + mail.to() + ": " + e.getMessage(), true, e);
        }
    }

    /**
     * A text part encoded here, once, as quoted-printable (safe for any text, still readable). Left to Jakarta Mail,
     * a part's encoding is detected by encoding it once to count its bytes, and then encoded again byte by byte
     * straight into the connection's synchronized buffer while the mail is sent: that was half of a sender thread's
     * CPU. Already-encoded content goes out in blocks.
     */
    static MimeBodyPart encoded(String content, String type) throws MessagingException {
        InternetHeaders headers = new InternetHeaders();
        headers.setHeader("Content-Type", type + "; charset=UTF-8");
        headers.setHeader("Content-Transfer-Encoding", "quoted-printable");
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Bytes out = new Bytes(bytes.length + bytes.length / 4 + 64);
        try (QPEncoderStream qp = new QPEncoderStream(out)) {
            qp.write(bytes);
        } catch (IOException e) {
            throw new MessagingException("could not encode a " + type + " part", e);
        }
        return new MimeBodyPart(headers, out.toByteArray());
    }

    /** A growable byte buffer without ByteArrayOutputStream's lock on every single-byte write. */
    private static final class Bytes extends OutputStream {
        private byte[] buf;
        private int size;

        Bytes(int capacity) {
            buf = new byte[capacity];
        }

        @Override
        public void write(int b) {
            if (size == buf.length) {
                buf = Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }
    }

    /** Says what the server answered, or that it did not answer in time. */
    private MailFailure failure(Exception e) {
        for (Throwable t = e; t != null; t = next(t)) {
            if (t instanceof SMTPAddressFailedException a) {
                boolean permanent = a.getReturnCode() >= 500;
                return new MailFailure("the mail server refused " + a.getAddress() + ": " + reply(a), permanent, e);
            }
            if (t instanceof SMTPSendFailedException s) {
                return new MailFailure("the mail server refused the mail: " + reply(s), false, e);
            }
            if (t instanceof SMTPSenderFailedException s) {
                return new MailFailure("the mail server refused the sender " + s.getAddress() + ": " + reply(s), false, e);
            }
            if (t instanceof SocketTimeoutException) {
                return new MailFailure("the mail server did not answer within " + timeout.toSeconds() + " s", false, e);
            }
        }
        LOG.debugf(e, "mail failed");
        return new MailFailure("the mail could not be sent: " + describe(e), false, e);
    }

    private static String reply(MessagingException e) {
        return e.getMessage() == null ? "(no reply)" : e.getMessage().strip();
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable t = next(e); t != null; t = next(t)) {
            b.append(" (").append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(')');
        }
        return b.toString();
    }

    /** Jakarta Mail chains per-address failures with getNextException, everything else with getCause. */
    private static Throwable next(Throwable t) {
        Throwable n = t instanceof MessagingException m && m.getNextException() != null ? m.getNextException() : t.getCause();
        return n == t ? null : n;
    }

    private static void closeQuietly(Transport t) {
        try {
            t.close();
        } catch (MessagingException | RuntimeException e) {
            LOG.debugf("closing a mail connection: %s", e.getMessage());
        }
    }

    /** Keeps a Message-ID set by the composer: saveChanges() would otherwise replace it with a random one. */
    private static final class FixedIdMessage extends MimeMessage {
        FixedIdMessage(Session session) {
            super(session);
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (getHeader("Message-ID") == null) {
                super.updateMessageID();
            }
        }
    }
}
