package io.paperwire.support.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An HTTP exchange with a peer we do not trust: one deadline for all of it (connect, headers and body), and a cap on
 * the bytes of the answer that are ever held. The JDK client's own request timeout stops at the headers, so a peer
 * that sends headers and then drips or stalls would hold the caller forever, and {@code BodyHandlers.ofByteArray()}
 * buffers an endless body until the heap is gone.
 */
public final class BoundedHttp {

    /** What to do with an answer longer than the cap. */
    public enum Overflow {
        /** Keep the first bytes and stop reading (a webhook's answer is read only for a status and a challenge). */
        TRUNCATE,
        /** Fail the exchange with {@link BodyTooLargeException} (a polled document must be whole). */
        FAIL
    }

    /** The answer was longer than the caller accepts. */
    public static class BodyTooLargeException extends IOException {

        public BodyTooLargeException(String message) {
            super(message);
        }
    }

    private BoundedHttp() {
    }

    /**
     * Sends {@code request} and waits at most {@code deadline} for the whole answer, holding at most {@code maxBytes}
     * of its body.
     *
     * @throws HttpTimeoutException when the whole answer did not arrive within the deadline (the exchange is cancelled)
     * @throws BodyTooLargeException with {@link Overflow#FAIL}, when the body is longer than {@code maxBytes}
     */
    public static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, int maxBytes, Overflow overflow,
            Duration deadline) throws IOException, InterruptedException {
        CompletableFuture<HttpResponse<byte[]>> answer = client.sendAsync(request, info -> new Capped(maxBytes, overflow));
        try {
            return answer.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw new HttpTimeoutException("no complete answer from " + request.uri().getHost() + " within "
                    + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            answer.cancel(true);
            throw e;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(cause == null ? e.toString() : cause.toString(), cause);
        }
    }

    /** Collects up to {@code max} bytes, then stops reading: cancelling the subscription closes the exchange. */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {

        private final int max;
        private final Overflow overflow;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        Capped(int max, Overflow overflow) {
            this.max = max;
            this.overflow = overflow;
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer b : buffers) {
                int room = max - bytes.size();
                if (b.remaining() > room) {
                    // The outcome first: cancelling makes the client fail the exchange with its own "cancelled".
                    if (overflow == Overflow.FAIL) {
                        result.completeExceptionally(new BodyTooLargeException("the answer is longer than " + max + " bytes"));
                    } else {
                        byte[] part = new byte[room];
                        b.get(part);
                        bytes.writeBytes(part);
                        result.complete(bytes.toByteArray());
                    }
                    subscription.cancel();
                    return;
                }
                byte[] part = new byte[b.remaining()];
                b.get(part);
                bytes.writeBytes(part);
            }
            subscription.request(1);
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toByteArray());
        }
    }
}
