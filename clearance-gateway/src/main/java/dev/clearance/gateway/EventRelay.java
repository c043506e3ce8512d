package dev.clearance.gateway;

import dev.clearance.core.Decision;
import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an upstream event stream to the caller as the JDK client delivers it: each delivered
 * buffer goes through {@link SseFraming} straight to the caller's connection on the delivering
 * thread, so an event waits for no further hand-off between threads. It ends in one of four ways,
 * each exactly once: the upstream finishes, the upstream breaks (a final error event), the caller
 * goes away (the upstream subscription is cancelled, closing its connection), or a policy change
 * {@link #cut cuts} it (the upstream is cancelled and the caller gets a final permission error event).
 */
final class EventRelay implements HttpResponse.BodySubscriber<Void> {
    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);

    private final String callId;
    private final ApiStyle style;
    private final OutputStream out;
    private final SseFraming framing = new SseFraming();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    // Writes come from the delivering thread and from a cutting thread; one at a time.
    private final ReentrantLock lock = new ReentrantLock();
    private byte[] scratch = new byte[16 * 1024];
    private volatile Flow.Subscription subscription;
    private boolean finished;
    private volatile Decision cutBy;

    EventRelay(String callId, ApiStyle style, OutputStream out) {
        this.callId = callId;
        this.style = style;
        this.out = out;
    }

    /** Whether the stream has ended, in any of its four ways. */
    boolean isDone() {
        return done.isDone();
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        lock.lock();
        try {
            subscription = s;
            if (finished) {
                s.cancel(); // cut before the first byte
                return;
            }
        } finally {
            lock.unlock();
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        lock.lock();
        try {
            if (finished || cutBy != null) {
                return;
            }
            for (ByteBuffer b : buffers) {
                int n = b.remaining();
                if (n > scratch.length) {
                    scratch = new byte[n];
                }
                b.get(scratch, 0, n);
                framing.accept(scratch, n, out);
            }
        } catch (IOException | RuntimeException e) {
            // The caller went away (Helidon says so with an unchecked ServerConnectionException).
            LOG.debug("caller of stream {} disconnected: {}", callId, e.toString());
            finish(true);
            return;
        } finally {
            lock.unlock();
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        lock.lock();
        try {
            if (finished || cutBy != null) {
                return; // a pending cut ends the stream
            }
            LOG.warn("upstream stream of call {} broke: {}", callId, t.toString());
            try {
                framing.finish(out);
                out.write(style.streamErrorEvent(new GatewayError(
                        GatewayError.Kind.BAD_GATEWAY,
                        "upstream_stream_broken",
                        "the upstream connection broke during the stream")));
                out.flush();
                out.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("caller of stream {} disconnected: {}", callId, e.toString());
            }
            finish(false);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void onComplete() {
        lock.lock();
        try {
            if (finished || cutBy != null) {
                return; // a pending cut ends the stream
            }
            try {
                framing.finish(out);
                out.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("caller of stream {} disconnected: {}", callId, e.toString());
            }
            finish(false);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Ends the stream for a denial: no more upstream bytes, a final error event on an event boundary
     * (a partly received event is dropped), the caller's response ended, the upstream connection closed.
     */
    void cut(Decision decision) {
        if (!lock.tryLock()) {
            // A write to a slow caller holds the lock: stop the upstream now, end the caller's stream
            // when the write returns, and do not hold up the policy change meanwhile.
            cutBy = decision; // from here on the cut, not the cancelled upstream, ends the stream
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            Thread.ofVirtual().name("clearance-stream-cut").start(() -> cutLocked(decision));
            return;
        }
        lock.unlock();
        cutLocked(decision);
    }

    private void cutLocked(Decision decision) {
        lock.lock();
        try {
            if (finished) {
                return;
            }
            cutBy = decision;
            try {
                out.write(style.streamErrorEvent(Stages.denial(decision).error()));
                out.flush();
                out.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("caller of cut stream {} disconnected: {}", callId, e.toString());
            }
            finish(true);
        } finally {
            lock.unlock();
        }
    }

    private void finish(boolean cancelUpstream) {
        finished = true;
        if (cancelUpstream && subscription != null) {
            subscription.cancel();
        }
        done.complete(null);
    }

    @Override
    public CompletionStage<Void> getBody() {
        return done;
    }
}
