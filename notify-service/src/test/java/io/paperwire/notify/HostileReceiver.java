package io.paperwire.notify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A webhook receiver that misbehaves at the byte level, where WireMock cannot: a body that never ends, headers and
 * then silence, headers that never end. It can answer the challenge properly first and misbehave on deliveries only.
 * Each connection counts; {@link #cutOff()} counts the connections the client closed while we still wrote.
 */
final class HostileReceiver implements AutoCloseable {

    enum Mode {
        /** 200 and a body streamed for ever. */
        ENDLESS_BODY,
        /** A status line and headers promising a body, then nothing. */
        HEADERS_THEN_SILENCE,
        /** Header lines for ever. */
        ENDLESS_HEADERS,
        /** Answers the challenge as a good receiver does; every digest gets headers and then silence. */
        CHALLENGE_THEN_SILENCE,
        /** Answers the challenge; takes a second over every digest, then accepts it (a slow but healthy receiver). */
        CHALLENGE_THEN_SLOW
    }

    private static final Pattern CHALLENGE = Pattern.compile("\"challenge\":\"([0-9a-f]+)\"");
    private final ServerSocket server;
    private final Mode mode;
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger cutOff = new AtomicInteger();
    private final AtomicInteger stalling = new AtomicInteger();
    private final AtomicInteger mostStalling = new AtomicInteger();
    private volatile boolean closed;

    HostileReceiver(Mode mode) throws IOException {
        this.mode = mode;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "hostile-receiver-" + mode);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getLocalPort() + path;
    }

    int connections() {
        return connections.get();
    }

    int cutOff() {
        return cutOff.get();
    }

    /** The most deliveries this receiver held stalled at the same time. */
    int mostStalledAtOnce() {
        return mostStalling.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket s = server.accept();
                connections.incrementAndGet();
                Thread t = new Thread(() -> serve(s), "hostile-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            String request = readRequest(s.getInputStream());
            OutputStream out = s.getOutputStream();
            boolean challenge = request.toLowerCase(Locale.ROOT).contains("paperwire-event: verification");
            if ((mode == Mode.CHALLENGE_THEN_SILENCE || mode == Mode.CHALLENGE_THEN_SLOW) && challenge) {
                Matcher m = CHALLENGE.matcher(request);
                String body = m.find() ? "{\"challenge\":\"" + m.group(1) + "\"}" : "{}";
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                        + "\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                out.flush();
                return;
            }
            switch (mode) {
                case ENDLESS_BODY -> {
                    out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] chunk = new byte[64 * 1024];
                    Arrays.fill(chunk, (byte) 'x');
                    while (!closed) {
                        out.write(chunk);
                    }
                }
                case ENDLESS_HEADERS -> {
                    out.write("HTTP/1.1 200 OK\r\n".getBytes(StandardCharsets.US_ASCII));
                    byte[] line = ("X-Filler: " + "y".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    while (!closed) {
                        out.write(line);
                    }
                }
                case CHALLENGE_THEN_SLOW -> {
                    mostStalling.accumulateAndGet(stalling.incrementAndGet(), Math::max);
                    try {
                        // A second of silence, measured by the socket's own read timeout (nothing more comes in).
                        s.setSoTimeout(1000);
                        try {
                            s.getInputStream().read();
                        } catch (SocketTimeoutException slowEnough) {
                            // the second is over
                        }
                        out.write("HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    } finally {
                        stalling.decrementAndGet();
                    }
                }
                default -> {
                    mostStalling.accumulateAndGet(stalling.incrementAndGet(), Math::max);
                    try {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        // Silence until the client gives up: read returns -1 (or fails) when it closes.
                        while (!closed && s.getInputStream().read() >= 0) {
                            // nothing else comes from a client that already sent its request
                        }
                        cutOff.incrementAndGet();
                    } finally {
                        stalling.decrementAndGet();
                    }
                }
            }
        } catch (IOException e) {
            cutOff.incrementAndGet(); // the client closed the connection while we were still writing
        }
    }

    /** The request head and as much body as it declares. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3)) ? matched + 1 : 0;
        }
        String h = head.toString(StandardCharsets.US_ASCII);
        Matcher m = Pattern.compile("(?i)content-length:\\s*(\\d+)").matcher(h);
        byte[] body = m.find() ? in.readNBytes(Integer.parseInt(m.group(1))) : new byte[0];
        return h + new String(body, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
    }
}
