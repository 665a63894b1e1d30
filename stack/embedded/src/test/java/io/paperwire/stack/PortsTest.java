package io.paperwire.stack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Free ports: below the ephemeral range, distinct within a reservation, and in a fork's own block when it has one. */
class PortsTest {

    @AfterEach
    void noBlock() {
        System.clearProperty(Ports.BLOCK_PROPERTY);
    }

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

    @Test
    void aForkChoosesOnlyFromItsOwnBlock() {
        int size = (Ports.END - Ports.FIRST) / Ports.BLOCKS;
        for (int block = 1; block <= Ports.BLOCKS; block++) {
            System.setProperty(Ports.BLOCK_PROPERTY, Integer.toString(block));
            try (Ports.Reservation r = Ports.reserve()) {
                for (int i = 0; i < 50; i++) {
                    assertThat(r.one()).isBetween(Ports.FIRST + (block - 1) * size, Ports.FIRST + block * size - 1);
                }
            }
        }
    }

    @Test
    void aBlockOutsideTheRangeIsNamed() {
        System.setProperty(Ports.BLOCK_PROPERTY, "5");
        assertThatThrownBy(Ports::free).isInstanceOf(StackException.class).hasMessageContaining("paperwire.ports.block must be 1 to 4, not '5'");
    }
}
