package io.paperwire.notify.webhook;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/** A few delivery slots per webhook host, so that one slow or hostile receiver can only ever hold its own. */
public final class HostSlots {

    private final int perHost;
    private final ConcurrentHashMap<String, Semaphore> slots = new ConcurrentHashMap<>();

    public HostSlots(int perHost) {
        this.perHost = Math.max(1, perHost);
    }

    public boolean tryAcquire(String host) {
        return slots.computeIfAbsent(host, h -> new Semaphore(perHost)).tryAcquire();
    }

    public void release(String host) {
        slots.get(host).release();
    }
}
