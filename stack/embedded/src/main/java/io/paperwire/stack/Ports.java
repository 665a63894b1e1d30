package io.paperwire.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Loopback port helpers: find a free one for tests, and tell whether one is taken before we try to bind it. */
public final class Ports {

    private Ports() {
    }

    /** A port that was free a moment ago (the OS picks it; tests bind it straight after). */
    public static int free() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new StackException("no free loopback port: " + e.getMessage(), e);
        }
    }

    /** True when something accepts connections on 127.0.0.1:port. */
    /** A free port whose successor is free too (a Kafka broker takes two: clients and controller). */
    public static int freePair() {
        for (int i = 0; i < 50; i++) {
            int p = free();
            if (p < 65535 && !listening(p + 1)) {
                try (java.net.ServerSocket probe = new java.net.ServerSocket(p + 1, 1, java.net.InetAddress.getLoopbackAddress())) {
                    return p;
                } catch (java.io.IOException taken) {
                    // try another
                }
            }
        }
        throw new StackException("no two consecutive free ports");
    }

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
