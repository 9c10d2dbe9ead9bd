package dev.llmplan.hub;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body kept in memory up to a limit: once the limit is reached the rest is refused
 * (the subscription is cancelled, which closes the connection), so a server that ignores a Range
 * request can never make us download a whole multi-gigabyte file.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    /** The body ended with an error after some bytes had arrived: the response was cut short. */
    static final class CutShort extends IOException {
        final int received;

        CutShort(int received, Throwable cause) {
            super(String.valueOf(cause.getMessage()), cause);
            this.received = received;
        }
    }

    private final int limit;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;
    private boolean done;

    LimitedBody(int limit) {
        this.limit = limit;
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        if (done) {
            return;
        }
        for (ByteBuffer b : items) {
            int n = Math.min(b.remaining(), limit - out.size());
            byte[] chunk = new byte[n];
            b.get(chunk);
            out.write(chunk, 0, n);
            if (out.size() >= limit) {
                done = true;
                subscription.cancel();
                result.complete(out.toByteArray());
                return;
            }
        }
    }

    @Override
    public void onError(Throwable t) {
        if (!done) {
            done = true;
            result.completeExceptionally(new CutShort(out.size(), t));
        }
    }

    @Override
    public void onComplete() {
        if (!done) {
            done = true;
            result.complete(out.toByteArray());
        }
    }
}
