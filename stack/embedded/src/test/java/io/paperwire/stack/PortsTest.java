package io.paperwire.stack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Free ports: below the ephemeral range, never the local stack's defaults, distinct within a reservation. */
class PortsTest {

    @Test
    void aReservationsPortsAreDistinctFreeAndBelowTheEphemeralRange() throws Exception {
        Set<Integer> chosen = new HashSet<>();
        try (Ports.Reservation r = Ports.reserve()) {
            for (int i = 0; i < 200; i++) {
                chosen.add(r.one());
            }
            int pair = r.pair();
            assertThat(chosen).doesNotContain(pair, pair + 1);
            chosen.add(pair);
            chosen.add(pair + 1);
        }
        assertThat(chosen).hasSize(202).allSatisfy(p -> assertThat(p).isBetween(Ports.FIRST, Ports.END - 1))
                .doesNotContain(15432, 19092, 19093);
        // Released on close: each can be bound again.
        for (int p : chosen) {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), p));
            }
        }
    }
}
