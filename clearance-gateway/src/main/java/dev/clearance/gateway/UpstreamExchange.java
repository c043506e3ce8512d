package dev.clearance.gateway;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One call's exchange with its upstream, between two threads: the upstream's event loop delivers the
 * answer's head and body chunks ({@link #head}, {@link #chunk}, {@link #end}, {@link #fail}); the
 * call's (virtual) thread waits for the head ({@link #awaitHead}) and reads the body as a blocking
 * {@link InputStream}, which the stream relay reads event by event.
 *
 * <p>Waiting is interruptible, as blocking socket I/O on a virtual thread is: a re-decision that cuts
 * the call interrupts the waiting thread, and the exchange then closes its connection (nothing more
 * is read from the upstream) and the read throws {@link InterruptedIOException}. An exchange closed
 * before its answer ended closes the connection too; one that ended on a kept-alive connection hands
 * the connection back to its pool. A body the caller reads slower than the upstream sends is held to
 * {@value #PAUSE_BYTES} bytes: past that the connection stops reading until the caller catches up.
 */
final class UpstreamExchange implements AutoCloseable {
    private static final int PAUSE_BYTES = 1 << 20;
    private static final int RESUME_BYTES = PAUSE_BYTES / 4;
    private static final Object END = new Object();

    private static final int OPEN = 0;
    private static final int ENDED = 1;
    private static final int CLOSED = 2;

    private final Channel channel;
    private final Duration readTimeout;
    private final Runnable reuse;
    private final CompletableFuture<HttpResponse> head = new CompletableFuture<>();
    private final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    private final AtomicLong queued = new AtomicLong();
    private final AtomicInteger state = new AtomicInteger(OPEN);
    private final Body body = new Body();
    private volatile boolean paused;
    private HttpResponse arrived; // confined to the event loop until published
    private volatile long headNanos;

    /** {@code reuse} hands the connection back to its pool once the answer has ended on a kept-alive connection. */
    UpstreamExchange(Channel channel, Duration readTimeout, Runnable reuse) {
        this.channel = channel;
        this.readTimeout = readTimeout;
        this.reuse = reuse;
    }

    // ---- the event loop's side ----

    /** The answer's head arrived; the waiting call learns of it at the end of this read ({@link #publish}). */
    void head(HttpResponse response) {
        arrived = response;
    }

    /**
     * The end of one read from the connection: wakes the waiting call once for everything that read
     * brought (a small answer's head, body and end usually arrive in one read), not once per part.
     */
    void publish() {
        HttpResponse response = arrived;
        if (response != null) {
            arrived = null;
            headNanos = System.nanoTime();
            head.complete(response);
        }
    }

    void chunk(ByteBuf content) {
        int n = content.readableBytes();
        if (n == 0) {
            return;
        }
        byte[] bytes = new byte[n];
        content.readBytes(bytes);
        chunks.add(bytes);
        if (queued.addAndGet(n) > PAUSE_BYTES && !paused) {
            paused = true;
            channel.config().setAutoRead(false);
        }
    }

    /** The answer ended; {@code keepAlive}: the connection may carry another exchange. */
    void end(boolean keepAlive) {
        // Ended before the end is readable: a caller that reads to the end and closes finds the
        // exchange ended and leaves the connection to the pool.
        if (state.compareAndSet(OPEN, ENDED)) {
            if (keepAlive) {
                channel.config().setAutoRead(true);
                reuse.run();
            } else {
                channel.close();
            }
        }
        chunks.add(END);
        publish(); // last: the call, once woken, finds the whole answer queued
    }

    /** The connection broke or was refused before the answer ended. */
    void fail(Throwable cause) {
        IOException e = cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
        head.completeExceptionally(e); // a failure before the head fails the wait for it
        if (state.get() == OPEN) {
            chunks.add(e); // one during the body fails the next read
        }
        if (state.compareAndSet(OPEN, CLOSED)) {
            channel.close();
        }
    }

    // ---- the call's side ----

    /**
     * Waits for the answer's status line and headers and, in the same wait, for {@code alongside} to
     * complete in any way (the call's record becoming durable: the answer is released only after it,
     * and one wake-up for both costs less than two).
     */
    void awaitHead(CompletableFuture<?> alongside) throws IOException {
        // The deadline is a task on the connection's event loop, not a timed wait: a virtual thread's
        // timed park puts a timer in the JDK's shared scheduler (a lock and a heap) on every call.
        // It runs on the loop that completes the head, so it sees the head's arrival or none at all.
        // What is waited for alongside has a deadline of its own (the record's watchdog).
        ScheduledFuture<?> deadline =
                channel.eventLoop().schedule(this::headOverdue, readTimeout.toNanos(), NANOSECONDS);
        try {
            CompletableFuture.allOf(head, alongside).get();
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the upstream's answer");
        } catch (ExecutionException e) {
            // either failed: the head's failure is thrown below, the other's is its owner's to handle
        } finally {
            deadline.cancel(false);
        }
        try {
            head.join();
        } catch (CompletionException e) {
            close();
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }

    private void headOverdue() {
        if (!head.isDone()) {
            fail(new SocketTimeoutException("the upstream sent no answer within " + readTimeout));
        }
    }

    /** When the head arrived ({@link System#nanoTime()}), for the upstream latency metric. */
    long headNanos() {
        return headNanos;
    }

    int status() {
        return head.join().status().code();
    }

    HttpHeaders headers() {
        return head.join().headers();
    }

    /** The answer's body, read as it arrives. */
    InputStream body() {
        return body;
    }

    /** Ends the exchange: an answer not yet ended closes its connection, so nothing more is read. */
    @Override
    public void close() {
        if (state.compareAndSet(OPEN, CLOSED)) {
            channel.close();
        }
    }

    private final class Body extends InputStream {
        private byte[] current = new byte[0];
        private int position;
        private IOException broken;
        private boolean atEnd;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            while (position == current.length) {
                if (broken != null) {
                    throw broken;
                }
                if (atEnd) {
                    return -1;
                }
                take();
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }

        /** The rest of the answer: the queued chunks joined once (a small answer is one chunk, returned as it is). */
        @Override
        public byte[] readAllBytes() throws IOException {
            List<byte[]> parts = new ArrayList<>(2);
            int total = 0;
            if (position < current.length) {
                byte[] rest = position == 0 ? current : Arrays.copyOfRange(current, position, current.length);
                parts.add(rest);
                total += rest.length;
                position = current.length;
            }
            while (true) {
                if (broken != null) {
                    throw broken;
                }
                if (atEnd) {
                    break;
                }
                take();
                if (position < current.length) {
                    parts.add(current);
                    total = Math.addExact(total, current.length);
                    position = current.length;
                }
            }
            if (parts.size() == 1) {
                return parts.get(0);
            }
            byte[] all = new byte[total];
            int at = 0;
            for (byte[] part : parts) {
                System.arraycopy(part, 0, all, at, part.length);
                at += part.length;
            }
            return all;
        }

        private void take() throws IOException {
            Object next;
            try {
                next = chunks.poll(readTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                close();
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading the upstream's answer");
            }
            if (next == null) {
                close();
                broken = new SocketTimeoutException("the upstream sent nothing for " + readTimeout);
            } else if (next == END) {
                atEnd = true;
            } else if (next instanceof IOException e) {
                broken = e;
            } else {
                current = (byte[]) next;
                position = 0;
                if (queued.addAndGet(-current.length) < RESUME_BYTES && paused) {
                    paused = false;
                    channel.config().setAutoRead(true);
                }
            }
        }

        @Override
        public void close() {
            UpstreamExchange.this.close();
        }
    }
}
