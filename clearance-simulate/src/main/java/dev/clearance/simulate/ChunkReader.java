package dev.clearance.simulate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Cuts a JSON Lines stream into chunks of whole lines, for workers to parse in parallel: the reader
 * only looks for newlines, the workers do the parsing.
 */
final class ChunkReader {
    static final int CHUNK_BYTES = 1 << 19;

    private ChunkReader() {}

    /** Whole lines: {@code data[0, length)}, the first being line {@code firstLine} of the file. */
    record Chunk(byte[] data, int length, long firstLine) {
        /** One line of a chunk: {@code data[from, to)}, without its line break. */
        interface LineVisitor {
            /** Returns false to stop at this line. */
            boolean visit(byte[] data, int from, int to, long line);
        }

        /** Visits every line that is not blank, in order, without its {@code \n} or {@code \r\n}. */
        void lines(LineVisitor visitor) {
            int start = 0;
            long line = firstLine;
            while (start < length) {
                int end = start;
                while (end < length && data[end] != '\n') {
                    end++;
                }
                int stop = end > start && data[end - 1] == '\r' ? end - 1 : end;
                if (!blank(data, start, stop) && !visitor.visit(data, start, stop, line)) {
                    return;
                }
                start = end + 1;
                line++;
            }
        }
    }

    /** Reads {@code in} to its end into chunks that end at a newline; a line longer than a chunk grows the buffer. */
    static void read(InputStream in, Handoff<Chunk> out) throws IOException, InterruptedException {
        byte[] buf = new byte[CHUNK_BYTES];
        int filled = 0;
        long line = 1;
        while (!out.stopped()) {
            int n = in.read(buf, filled, buf.length - filled);
            if (n < 0) {
                if (filled > 0) {
                    out.put(new Chunk(buf, filled, line));
                }
                return;
            }
            filled += n;
            int lastNewline = -1;
            for (int i = filled - 1; i >= 0; i--) {
                if (buf[i] == '\n') {
                    lastNewline = i;
                    break;
                }
            }
            if (lastNewline < 0) {
                if (filled == buf.length) {
                    buf = Arrays.copyOf(buf, buf.length * 2);
                }
                continue;
            }
            int end = lastNewline + 1;
            byte[] next = new byte[Math.max(CHUNK_BYTES, filled - end + 1)];
            System.arraycopy(buf, end, next, 0, filled - end);
            long lines = 0;
            for (int i = 0; i < end; i++) {
                if (buf[i] == '\n') {
                    lines++;
                }
            }
            out.put(new Chunk(buf, end, line));
            line += lines;
            filled -= end;
            buf = next;
        }
    }

    /** Whether the bytes are only whitespace (as {@link String#isBlank()} judges the decoded line). */
    static boolean blank(byte[] b, int from, int to) {
        boolean nonAscii = false;
        for (int i = from; i < to; i++) {
            int x = b[i] & 0xff;
            if (x >= 0x80) {
                nonAscii = true;
            } else if (!Character.isWhitespace(x)) {
                return false;
            }
        }
        return !nonAscii || new String(b, from, to - from, StandardCharsets.UTF_8).isBlank();
    }
}
