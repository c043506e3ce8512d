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
    private boolean crBoundaryHeld;

    /** Feeds bytes read from upstream; writes and flushes every event completed by them. */
    void accept(byte[] chunk, int length, OutputStream out) throws IOException {
        int from = 0;
        int lastBoundary = -1; // index in chunk of the last byte of the last complete event
        if (crBoundaryHeld) {
            crBoundaryHeld = false;
            if (length > 0 && chunk[0] == '\n') {
                previousCr = false;
                lastBoundary = 0; // the LF of the blank line's CRLF
                from = 1;
            } else {
                flushPending(out); // the CR alone ended the event
            }
        }
        int boundaryBefore = -1;
        for (int i = from; i < length; i++) {
            byte b = chunk[i];
            if (b == '\n' && previousCr) {
                previousCr = false;
                if (lastBoundary >= 0 && lastBoundary == i - 1) {
                    lastBoundary = i; // keep the CRLF of the blank line with its event
                }
                continue;
            }
            previousCr = b == '\r';
            if (b == '\n' || b == '\r') {
                if (atLineStart) {
                    boundaryBefore = lastBoundary;
                    lastBoundary = i;
                }
                atLineStart = true;
            } else {
                atLineStart = false;
            }
        }
        if (lastBoundary == length - 1 && lastBoundary >= from && chunk[lastBoundary] == '\r') {
            // A CR ending the chunk may be the first half of a CRLF: decide when the next byte comes.
            crBoundaryHeld = true;
            lastBoundary = boundaryBefore;
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

    private void flushPending(OutputStream out) throws IOException {
        if (pendingLength > 0) {
            out.write(pending, 0, pendingLength);
            pendingLength = 0;
            out.flush();
        }
    }

    /** Writes an incomplete trailing event left when the upstream ended without its blank line. */
    void finish(OutputStream out) throws IOException {
        crBoundaryHeld = false;
        flushPending(out);
    }

    /** Whether the bytes passed so far end exactly on an event boundary. */
    boolean atBoundary() {
        return pendingLength == 0 || crBoundaryHeld;
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
