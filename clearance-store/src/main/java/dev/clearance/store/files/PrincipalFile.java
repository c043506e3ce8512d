package dev.clearance.store.files;

import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.core.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Reads a principals file (JSON Lines, one principal per line; blank lines and lines starting with
 * {@code #} are skipped). Every problem is reported with its line; ids must be unique.
 */
public final class PrincipalFile {
    private PrincipalFile() {}

    /** Streams the file to {@code sink}, stopping at nothing: problems are collected and thrown at the end. */
    public interface Sink {
        void accept(Principal principal, int line);
    }

    public static void stream(Path file, Sink sink) throws PolicyException, IOException {
        Lines lines = new Lines(file.toString());
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (skipped(text)) {
                    continue;
                }
                try {
                    lines.principal(Json.principal(text, file.toString(), line), line, sink);
                } catch (PolicyException e) {
                    lines.problems.addAll(e.problems());
                }
                if (lines.stopAt(line)) {
                    break;
                }
            }
        }
        lines.throwIfAny();
    }

    private static boolean skipped(String text) {
        return text.isBlank() || text.stripLeading().startsWith("#");
    }

    /** Ids seen and problems met, line by line: the rules both readers apply in the same order. */
    private static final class Lines {
        final String file;
        final Map<String, Integer> seen = new HashMap<>();
        final List<Problem> problems = new ArrayList<>();

        Lines(String file) {
            this.file = file;
        }

        /** A duplicate id is a problem; a principal reaches the sink only while there are none. */
        void principal(Principal p, int line, Sink sink) {
            Integer prior = seen.putIfAbsent(p.id(), line);
            if (prior != null) {
                problems.add(new Problem(
                        file, line, 0, "duplicate principal id '" + p.id() + "' (first on line " + prior + ")"));
            } else if (problems.isEmpty()) {
                sink.accept(p, line);
            }
        }

        /** After a line: whether reading stops there (too many problems). */
        boolean stopAt(int line) {
            if (problems.size() < 100) {
                return false;
            }
            problems.add(new Problem(file, line, 0, "too many errors; stopped here"));
            return true;
        }

        void throwIfAny() throws PolicyException {
            if (!problems.isEmpty()) {
                throw new PolicyException(problems);
            }
        }
    }

    /**
     * Reads the whole file into a list in file order, parsing on {@code threads} threads: the same
     * principals, and the same problems (the first 100, in line order), as {@link #stream}. For a
     * population that must be in memory anyway (the simulator's), where parsing one principal at a
     * time would leave all but one core idle.
     *
     * <p>The file is read in windows of whole lines (at most {@link #WINDOW} bytes, unless one line is
     * longer), each cut into lines and parsed straight from its bytes ({@link PrincipalLines}; lines it
     * is not certain about go to {@link Json#principal}). Lines end at {@code \n}, {@code \r\n} or
     * {@code \r}, as for {@link BufferedReader#readLine}. Bytes that are not UTF-8 are a problem of
     * their line.
     */
    public static List<Principal> readAll(Path file, int threads) throws PolicyException, IOException {
        return readAll(file, threads, WINDOW);
    }

    /** {@link #readAll(Path, int)} in windows of {@code window} bytes. */
    static List<Principal> readAll(Path file, int threads, int window) throws PolicyException, IOException {
        String name = file.toString();
        Lines checked = new Lines(name);
        List<Principal> out = new ArrayList<>();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[(int) Math.min(window, Math.max(Files.size(file) + 1, 1 << 20))];
            int filled = 0;
            int firstLine = 1;
            boolean eof = false;
            while (!eof) {
                int n = in.readNBytes(buf, filled, buf.length - filled);
                filled += n;
                eof = filled < buf.length;
                int cut = eof ? filled : lastNewline(buf, filled) + 1;
                if (cut == 0) { // one line longer than the window
                    buf = Arrays.copyOf(buf, buf.length * 2);
                    continue;
                }
                Window w = new Window(buf, cut);
                Object[] parsed = w.parse(name, firstLine, threads);
                for (int i = 0; i < parsed.length; i++) {
                    int line = firstLine + i;
                    if (parsed[i] == null) {
                        continue;
                    }
                    if (parsed[i] instanceof PolicyException e) {
                        checked.problems.addAll(e.problems());
                    } else {
                        checked.principal((Principal) parsed[i], line, (p, l) -> out.add(p));
                    }
                    if (checked.stopAt(line)) {
                        checked.throwIfAny();
                    }
                }
                firstLine += parsed.length;
                System.arraycopy(buf, cut, buf, 0, filled - cut);
                filled -= cut;
            }
        }
        checked.throwIfAny();
        return out;
    }

    /** Bytes read from the file at a time (whole lines). */
    static final int WINDOW = 64 << 20;

    /** Lines a parsing thread takes at a time. */
    private static final int CHUNK = 2048;

    private static int lastNewline(byte[] b, int len) {
        for (int i = len - 1; i >= 0; i--) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** Whole lines {@code data[0, length)}, cut at their line breaks. */
    private static final class Window {
        final byte[] data;
        /** Line {@code i} is {@code data[bounds[2i], bounds[2i+1])}, without its line break. */
        int[] bounds = new int[1024];

        int count;

        Window(byte[] data, int length) {
            this.data = data;
            int start = 0;
            for (int i = 0; i < length; i++) {
                byte b = data[i];
                if (b == '\n' || b == '\r') {
                    add(start, i);
                    if (b == '\r' && i + 1 < length && data[i + 1] == '\n') {
                        i++;
                    }
                    start = i + 1;
                }
            }
            if (start < length) {
                add(start, length);
            }
        }

        private void add(int from, int to) {
            if (2 * count + 1 >= bounds.length) {
                bounds = Arrays.copyOf(bounds, bounds.length * 2);
            }
            bounds[2 * count] = from;
            bounds[2 * count + 1] = to;
            count++;
        }

        /** Per line: a Principal, a PolicyException, or null for a skipped line; parsed on up to {@code threads} threads. */
        Object[] parse(String file, int firstLine, int threads) throws IOException {
            Object[] parsed = new Object[count];
            AtomicInteger next = new AtomicInteger();
            Runnable work = () -> {
                PrincipalLines fast = new PrincipalLines();
                for (int start; (start = next.getAndAdd(CHUNK)) < count; ) {
                    for (int i = start, end = Math.min(count, start + CHUNK); i < end; i++) {
                        parsed[i] = line(fast, bounds[2 * i], bounds[2 * i + 1], file, firstLine + i);
                    }
                }
            };
            Thread[] pool = new Thread[Math.max(1, Math.min(threads, count / CHUNK + 1)) - 1];
            for (int t = 0; t < pool.length; t++) {
                pool[t] = Thread.ofPlatform().name("principals-" + t).start(work);
            }
            work.run();
            for (Thread t : pool) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while reading " + file, e);
                }
            }
            return parsed;
        }

        private Object line(PrincipalLines fast, int from, int to, String file, int line) {
            if (skipped(data, from, to)) {
                return null;
            }
            Principal p = fast.parse(data, from, to - from);
            if (p != null) {
                return p;
            }
            String text;
            try {
                text = StandardCharsets.UTF_8
                        .newDecoder()
                        .decode(ByteBuffer.wrap(data, from, to - from))
                        .toString();
            } catch (CharacterCodingException e) {
                return new PolicyException(new Problem(file, line, 0, "not valid UTF-8"));
            }
            try {
                return Json.principal(text, file, line);
            } catch (PolicyException e) {
                return e;
            }
        }
    }

    /** {@link #skipped(String)} on the bytes of a line, decoding only a line that starts with non-ASCII. */
    private static boolean skipped(byte[] b, int from, int to) {
        int i = from;
        while (i < to && b[i] >= 0 && Character.isWhitespace(b[i])) {
            i++;
        }
        if (i == to || b[i] == '#') {
            return true;
        }
        return b[i] < 0 && skipped(new String(b, from, to - from, StandardCharsets.UTF_8));
    }

    /** Reads the whole file into memory, keyed by id, in file order. */
    public static Map<String, Principal> read(Path file) throws PolicyException, IOException {
        Map<String, Principal> out = new LinkedHashMap<>();
        stream(file, (p, line) -> out.put(p.id(), p));
        return out;
    }
}
