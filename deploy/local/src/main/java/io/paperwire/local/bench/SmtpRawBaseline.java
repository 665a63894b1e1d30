package io.paperwire.local.bench;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.util.Properties;

/** The fan-out scenario's ceiling: one JavaMail connection sending equally sized multipart messages in a loop. */
final class SmtpRawBaseline extends BenchPart {

    SmtpRawBaseline(Context context) {
        super(context);
    }

    /** The ceiling: one JavaMail connection sending equally sized multipart messages in a loop. */
    double run(int n, int size, String tag) throws Exception {
        Properties p = new Properties();
        p.put("mail.smtp.host", "127.0.0.1");
        p.put("mail.smtp.port", String.valueOf(config.smtpPort()));
        // Bounded, as every wait on a peer: a mail server that stops answering ends the round with an error instead of
        // holding the bench (session 16 first took a crawl of ~45 ms per message for such a stall).
        p.put("mail.smtp.connectiontimeout", "10000");
        p.put("mail.smtp.timeout", "60000");
        p.put("mail.smtp.writetimeout", "60000");
        p.put("mail.smtp.socketFactory", new io.paperwire.support.net.NoDelaySockets()); // as notify's mailer
        p.put("mail.smtp.socketFactory.fallback", "false");
        Session session = Session.getInstance(p);
        String body = "x".repeat(Math.max(100, size / 2 - 200));
        long t0 = System.nanoTime();
        try (Transport t = session.getTransport("smtp")) {
            t.connect();
            for (int i = 0; i < n; i++) {
                MimeMessage m = new MimeMessage(session);
                m.setFrom(new InternetAddress("digest@paperwire.local"));
                InternetAddress to = new InternetAddress("raw-" + run + "-" + tag + "-" + i + "@example.org");
                m.setRecipient(Message.RecipientType.TO, to);
                m.setSubject("raw " + i);
                MimeMultipart alt = new MimeMultipart("alternative");
                MimeBodyPart text = new MimeBodyPart();
                text.setText(body, "UTF-8");
                MimeBodyPart html = new MimeBodyPart();
                html.setContent("<p>" + body + "</p>", "text/html; charset=UTF-8");
                alt.addBodyPart(text);
                alt.addBodyPart(html);
                m.setContent(alt);
                m.saveChanges();
                t.sendMessage(m, new InternetAddress[] {to});
            }
        }
        return n / seconds(t0);
    }
}
