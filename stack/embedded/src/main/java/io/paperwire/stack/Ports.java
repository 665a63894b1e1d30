package io.paperwire.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Loopback port helpers: find a free one for tests, and tell whether one is taken before we try to bind it. */
public final class Ports {

    /**
     * Free ports are chosen at random from 10000-31999, below Linux's ephemeral range (32768-60999): a port is chosen
     * seconds before its part binds it, and in between any outgoing connection on the machine may be given an
     * ephemeral port, which a port the OS picked for us would be.
     */
    static final int FIRST = 10_000;
    static final int END = 32_000;
    /** The local stack's default ports in the range (PostgreSQL, Kafka's pair): never handed out. */
    private static final Set<Integer> DEFAULTS = Set.of(15432, 19092, 19093);

    private Ports() {
    }

    /**
     * A port that was free a moment ago. Two calls may return the same port: for several ports of one stack use
     * {@link #reserve()}, which keeps each open until all are chosen.
     */
    public static int free() {
        try (Reservation r = reserve()) {
            return r.one();
        }
    }

    /** A free port whose successor is free too (a Kafka broker takes two: clients and controller). */
    public static int freePair() {
        try (Reservation r = reserve()) {
            return r.pair();
        }
    }

    /** Starts choosing ports that must all differ (one stack's parts); they are released when it is closed. */
    public static Reservation reserve() {
        return new Reservation();
    }

    /**
     * Ports held open while more are chosen, so they are distinct by construction: the OS never hands out a port
     * that is still bound. Closing releases them for the parts that bind them next.
     */
    public static final class Reservation implements AutoCloseable {

        private final List<ServerSocket> held = new ArrayList<>();

        private Reservation() {
        }

        /** One port no other in this reservation has. */
        public int one() {
            return hold(0).getLocalPort();
        }

        /** A port p and p + 1, neither in this reservation already. */
        public int pair() {
            return withCompanion(1);
        }

        /**
         * A port p with p + offset free too, neither in this reservation already (a service's HTTP port and its
         * management port, which the local launcher puts 1000 above it).
         */
        public int withCompanion(int offset) {
            for (int i = 0; i < 50; i++) {
                ServerSocket first = hold(0);
                int p = first.getLocalPort();
                if (p + offset <= 65535) {
                    try {
                        held.add(bind(p + offset));
                        return p;
                    } catch (IOException taken) {
                        // keep the first held (so it is not offered again) and try another
                    }
                }
            }
            throw new StackException("no two free loopback ports " + offset + " apart");
        }

        private ServerSocket hold(int port) {
            if (port == 0) {
                return holdAny();
            }
            try {
                ServerSocket s = bind(port);
                held.add(s);
                return s;
            } catch (IOException e) {
                throw new StackException("no free loopback port: " + e.getMessage(), e);
            }
        }

        private ServerSocket holdAny() {
            int size = END - FIRST;
            int start = ThreadLocalRandom.current().nextInt(size);
            for (int i = 0; i < size; i++) {
                int p = FIRST + (start + i) % size;
                if (!DEFAULTS.contains(p)) {
                    try {
                        ServerSocket s = bind(p);
                        held.add(s);
                        return s;
                    } catch (IOException taken) {
                        // in use (or held by this reservation): the next one
                    }
                }
            }
            throw new StackException("no free loopback port in " + FIRST + "-" + (END - 1));
        }

        private static ServerSocket bind(int port) throws IOException {
            ServerSocket s = new ServerSocket();
            s.setReuseAddress(true);
            try {
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            } catch (IOException e) {
                s.close();
                throw e;
            }
            return s;
        }

        @Override
        public void close() {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // released either way
                }
            }
            held.clear();
        }
    }

    /** True when something accepts connections on 127.0.0.1:port. */
    public static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Fails fast, naming the port and the setting that moves it, when a port we are about to bind is taken. */
    public static void requireFree(int port, String what, String setting) {
        if (listening(port)) {
            throw new StackException(what + " cannot start: port " + port + " is already in use by another process. "
                    + "Stop that process (ss -ltnp 'sport = :" + port + "' shows it) or choose another port with "
                    + setting + ".");
        }
    }
}
