package dev.clearance.gateway;

import dev.clearance.core.Decision;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Relays an upstream event stream to the caller on the call's own thread: each read from the upstream
 * goes through {@link SseFraming} straight to the caller's connection, so an event waits for no
 * hand-off between threads. It ends in one of four ways, each exactly once: the upstream finishes,
 * the upstream breaks (a final error event), the caller goes away (the relay stops reading, and the
 * forward stage closes the upstream connection), or a policy change {@link #cut cuts} it (the caller
 * gets a final permission error event and the upstream read is interrupted, which closes its
 * connection).
 *
 * <p>A cut interrupts the relaying thread only while it waits on the upstream, never while it writes
 * to the caller: both happen under the relay's lock, and the thread is marked as reading only between
 * the two, so an interrupt can never close the caller's connection instead of the upstream's.
 */
final class EventRelay {
    private static final Logger LOG = LoggerFactory.getLogger(EventRelay.class);

    private final String callId;
    private final ApiStyle style;
    private final OutputStream out;
    private final SseFraming framing = new SseFraming();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    // Writes come from the relaying thread and from a cutting thread; one at a time.
    private final ReentrantLock lock = new ReentrantLock();
    private Thread reading; // guarded by lock: the relaying thread while it waits on the upstream
    private boolean finished; // guarded by lock
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

    /** Completes once the caller's stream has ended (a cut may end it from another thread). */
    CompletableFuture<Void> ended() {
        return done;
    }

    /** Reads the upstream stream to its end (or until the stream ends otherwise), relaying every event. */
    void relay(InputStream upstream) {
        byte[] buffer = new byte[16 * 1024];
        while (true) {
            lock.lock();
            try {
                if (finished || cutBy != null) {
                    return; // a pending cut ends the stream
                }
                reading = Thread.currentThread();
            } finally {
                lock.unlock();
            }
            int n;
            Exception broke = null;
            try {
                n = upstream.read(buffer);
            } catch (IOException | UncheckedIOException e) {
                n = -1;
                broke = e;
            }
            lock.lock();
            try {
                reading = null;
                Thread.interrupted(); // a cut's interrupt was meant for the upstream read alone
                if (finished || cutBy != null) {
                    return;
                }
                if (broke != null) {
                    upstreamBroke(broke);
                    return;
                }
                if (n < 0) {
                    end();
                    return;
                }
                framing.accept(buffer, n, out);
            } catch (IOException | RuntimeException e) {
                // The caller went away (Helidon says so with an unchecked ServerConnectionException).
                LOG.debug("caller of stream {} disconnected: {}", callId, e.toString());
                finish();
                return;
            } finally {
                lock.unlock();
            }
        }
    }

    private void upstreamBroke(Exception e) {
        LOG.warn("upstream stream of call {} broke: {}", callId, e.toString());
        try {
            framing.finish(out);
            out.write(style.streamErrorEvent(new GatewayError(
                    GatewayError.Kind.BAD_GATEWAY,
                    "upstream_stream_broken",
                    "the upstream connection broke during the stream")));
            out.flush();
            out.close();
        } catch (IOException | RuntimeException x) {
            LOG.debug("caller of stream {} disconnected: {}", callId, x.toString());
        }
        finish();
    }

    private void end() {
        try {
            framing.finish(out);
            out.close();
        } catch (IOException | RuntimeException e) {
            LOG.debug("caller of stream {} disconnected: {}", callId, e.toString());
        }
        finish();
    }

    /**
     * Ends the stream for a denial: no more upstream bytes, a final error event on an event boundary
     * (a partly received event is dropped), the caller's response ended, the upstream read interrupted.
     */
    void cut(Decision decision) {
        if (!lock.tryLock()) {
            // A write to a slow caller holds the lock: the relay reads no more once it returns; end the
            // caller's stream then, and do not hold up the policy change meanwhile.
            cutBy = decision; // from here on the cut ends the stream
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
            if (reading != null) {
                reading.interrupt(); // closes the upstream connection the relay is waiting on
            }
            try {
                out.write(style.streamErrorEvent(Stages.denial(decision).error()));
                out.flush();
                out.close();
            } catch (IOException | RuntimeException e) {
                LOG.debug("caller of cut stream {} disconnected: {}", callId, e.toString());
            }
            finish();
        } finally {
            lock.unlock();
        }
    }

    private void finish() {
        finished = true;
        done.complete(null);
    }
}
