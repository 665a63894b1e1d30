package io.paperwire.testing;

/**
 * Identifiers that no other test of this JVM is given, by construction: the tests of one JVM share one catalogue,
 * so an id made from a hash or a random number can land on another test's paper and merge the two.
 */
public final class TestIds {

    /** JVM-wide (Quarkus may load this class in more than one class loader), like {@link TestStack}'s parts. */
    private static final String NEXT = "paperwire-test.ids.next";

    private TestIds() {
    }

    /** A valid new-style arXiv id, {@code YYMM.NNNNN}, from a JVM-wide counter: 2501.00000, 2501.00001, ... */
    public static String arxivId() {
        int n;
        synchronized (System.getProperties()) {
            n = Integer.parseInt(System.getProperty(NEXT, "0"));
            System.setProperty(NEXT, Integer.toString(n + 1));
        }
        int month = n / 100_000;
        return String.format("%02d%02d.%05d", 25 + month / 12, 1 + month % 12, n % 100_000);
    }
}
