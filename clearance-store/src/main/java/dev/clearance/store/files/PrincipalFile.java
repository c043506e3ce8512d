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
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            int line = 0;
            while ((text = r.readLine()) != null) {
                line++;
                if (text.isBlank() || text.stripLeading().startsWith("#")) {
                    continue;
                }
                try {
                    Principal p = Json.principal(text, file.toString(), line);
                    Integer prior = seen.putIfAbsent(p.id(), line);
                    if (prior != null) {
                        problems.add(new Problem(
                                file.toString(),
                                line,
                                0,
                                "duplicate principal id '" + p.id() + "' (first on line " + prior + ")"));
                    } else if (problems.isEmpty()) {
                        sink.accept(p, line);
                    }
                } catch (PolicyException e) {
                    problems.addAll(e.problems());
                }
                if (problems.size() >= 100) {
                    problems.add(new Problem(file.toString(), line, 0, "too many errors; stopped here"));
                    break;
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
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
                    if (text.isBlank() || text.stripLeading().startsWith("#")) {
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
        List<Problem> problems = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            int line = i + 1;
            if (parsed[i] instanceof PolicyException e) {
                problems.addAll(e.problems());
            } else if (parsed[i] instanceof Principal p) {
                Integer prior = seen.putIfAbsent(p.id(), line);
                if (prior != null) {
                    problems.add(new Problem(
                            file.toString(),
                            line,
                            0,
                            "duplicate principal id '" + p.id() + "' (first on line " + prior + ")"));
                } else if (problems.isEmpty()) {
                    out.add(p);
                }
            } else {
                continue;
            }
            if (problems.size() >= 100) {
                problems.add(new Problem(file.toString(), line, 0, "too many errors; stopped here"));
                break;
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
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
