package io.paperwire.support.net;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLSocketFactory;

/**
 * TLS sockets with Nagle's algorithm off, for SMTPS sessions (TLS from the first byte): the same stall as
 * {@link NoDelaySockets} prevents on plain and STARTTLS sessions, here under TLS records. Trust and protocols are the
 * wrapped factory's (the JDK's default unless given); the server's name is still checked by the mail session.
 */
public final class NoDelayTlsSockets extends SSLSocketFactory {

    private final SSLSocketFactory tls;

    /** Over the JDK's default TLS context. */
    public NoDelayTlsSockets() {
        this((SSLSocketFactory) SSLSocketFactory.getDefault());
    }

    public NoDelayTlsSockets(SSLSocketFactory tls) {
        this.tls = tls;
    }

    @Override
    public Socket createSocket() throws IOException {
        return noDelay(tls.createSocket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return noDelay(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort) throws IOException {
        return noDelay(tls.createSocket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return noDelay(tls.createSocket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort) throws IOException {
        return noDelay(tls.createSocket(host, port, local, localPort));
    }

    /** TLS layered over a connected socket: the option is the underlying socket's. */
    @Override
    public Socket createSocket(Socket plain, String host, int port, boolean autoClose) throws IOException {
        plain.setTcpNoDelay(true);
        return tls.createSocket(plain, host, port, autoClose);
    }

    @Override
    public String[] getDefaultCipherSuites() {
        return tls.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return tls.getSupportedCipherSuites();
    }

    private static Socket noDelay(Socket s) throws IOException {
        s.setTcpNoDelay(true);
        return s;
    }
}
