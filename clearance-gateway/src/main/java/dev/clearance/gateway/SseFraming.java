package dev.clearance.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Passes a server-sent-event stream through unchanged, writing and flushing each complete event as
 * soon as its terminating blank line arrives. Bytes are never re-encoded; only an incomplete trailing
 * event is held until its end arrives, so an error event injected by a stream cut always lands on an
 * event boundary.
 */
final class SseFraming {
    private byte[] pending = new byte[0];
    private int pendingLength;
    // Scanner state carried across chunks.
    private boolean atLineStart = true;
    private boolean previousCr;

    /** Feeds bytes read from upstream; writes and flushes every event completed by them. */
    void accept(byte[] chunk, int length, OutputStream out) throws IOException {
        int lastBoundary = -1; // index in chunk of the last byte of the last complete event
        for (int i = 0; i < length; i++) {
            byte b = chunk[i];
            if (b == '\n' && previousCr) {
                previousCr = false;
                if (lastBoundary == i - 1) {
                    lastBoundary = i; // keep CRLF of the blank line with its event
                }
                continue;
            }
            previousCr = b == '\r';
            if (b == '\n' || b == '\r') {
                if (atLineStart) {
                    lastBoundary = i;
                }
                atLineStart = true;
            } else {
                atLineStart = false;
            }
        }
        if (lastBoundary < 0) {
            hold(chunk, 0, length);
            return;
        }
        if (pendingLength > 0) {
            out.write(pending, 0, pendingLength);
            pendingLength = 0;
        }
        out.write(chunk, 0, lastBoundary + 1);
        out.flush();
        hold(chunk, lastBoundary + 1, length - lastBoundary - 1);
    }

    /** Writes an incomplete trailing event left when the upstream ended without its blank line. */
    void finish(OutputStream out) throws IOException {
        if (pendingLength > 0) {
            out.write(pending, 0, pendingLength);
            pendingLength = 0;
            out.flush();
        }
    }

    /** Whether the bytes passed so far end exactly on an event boundary. */
    boolean atBoundary() {
        return pendingLength == 0;
    }

    private void hold(byte[] chunk, int from, int length) {
        if (length == 0) {
            return;
        }
        if (pendingLength + length > pending.length) {
            pending = Arrays.copyOf(pending, Math.max(pendingLength + length, pending.length * 2));
        }
        System.arraycopy(chunk, from, pending, pendingLength, length);
        pendingLength += length;
    }
}
