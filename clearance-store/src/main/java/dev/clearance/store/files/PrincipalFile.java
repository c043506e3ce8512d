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

    /** Reads the whole file into memory, keyed by id, in file order. */
    public static Map<String, Principal> read(Path file) throws PolicyException, IOException {
        Map<String, Principal> out = new LinkedHashMap<>();
        stream(file, (p, line) -> out.put(p.id(), p));
        return out;
    }
}
