package dev.clearance.store.files;

import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.core.Problem;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
     */
    public static List<Principal> readAll(Path file, int threads) throws PolicyException, IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        int n = lines.size();
        Object[] parsed = new Object[n]; // a Principal, a PolicyException, or null for a skipped line
        int workers = Math.max(1, Math.min(threads, n / CHUNK + 1));
        AtomicInteger next = new AtomicInteger();
        Runnable work = () -> {
            for (int start; (start = next.getAndAdd(CHUNK)) < n; ) {
                for (int i = start, end = Math.min(n, start + CHUNK); i < end; i++) {
                    String text = lines.get(i);
                    if (skipped(text)) {
                        continue;
                    }
                    try {
                        parsed[i] = Json.principal(text, file.toString(), i + 1);
                    } catch (PolicyException e) {
                        parsed[i] = e;
                    }
                }
            }
        };
        Thread[] pool = new Thread[workers - 1];
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
        List<Principal> out = new ArrayList<>(n);
        Lines checked = new Lines(file.toString());
        for (int i = 0; i < n; i++) {
            if (parsed[i] == null) {
                continue;
            }
            if (parsed[i] instanceof PolicyException e) {
                checked.problems.addAll(e.problems());
            } else {
                checked.principal((Principal) parsed[i], i + 1, (p, line) -> out.add(p));
            }
            if (checked.stopAt(i + 1)) {
                break;
            }
        }
        checked.throwIfAny();
        return out;
    }

    /** Lines a parsing thread takes at a time. */
    private static final int CHUNK = 2048;

    /** Reads the whole file into memory, keyed by id, in file order. */
    public static Map<String, Principal> read(Path file) throws PolicyException, IOException {
        Map<String, Principal> out = new LinkedHashMap<>();
        stream(file, (p, line) -> out.put(p.id(), p));
        return out;
    }
}
