package dev.clearance.store.files;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Problem;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads directive files from disk: a file, or a directory of {@code *.yaml}/{@code *.yml} files
 * (sorted by name, not recursive). The one place directives are read from the file system.
 */
public final class DirectiveFiles {
    private DirectiveFiles() {}

    /** The texts of every directive file under {@code paths}, keyed by the path as given. */
    public static Map<String, String> read(List<Path> paths) throws PolicyException {
        Map<String, String> out = new LinkedHashMap<>();
        List<Problem> problems = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> files;
                try (Stream<Path> s = Files.list(p)) {
                    files = s.filter(f -> Files.isRegularFile(f)
                                    && (f.toString().endsWith(".yaml")
                                            || f.toString().endsWith(".yml")))
                            .sorted()
                            .toList();
                } catch (IOException e) {
                    problems.add(new Problem(p.toString(), 0, 0, "cannot list directory: " + e.getMessage()));
                    continue;
                }
                if (files.isEmpty()) {
                    problems.add(new Problem(p.toString(), 0, 0, "no *.yaml or *.yml files in this directory"));
                }
                for (Path f : files) {
                    readOne(f, out, problems);
                }
            } else {
                readOne(p, out, problems);
            }
        }
        if (!problems.isEmpty()) {
            throw new PolicyException(problems);
        }
        return out;
    }

    /** Reads and parses every directive under {@code paths} as one set. */
    public static List<Directive> load(List<Path> paths) throws PolicyException {
        return DirectiveParser.parseAll(read(paths));
    }

    private static void readOne(Path f, Map<String, String> out, List<Problem> problems) {
        try {
            byte[] bytes = Files.readAllBytes(f);
            out.put(
                    f.toString(),
                    StandardCharsets.UTF_8
                            .newDecoder()
                            .decode(java.nio.ByteBuffer.wrap(bytes))
                            .toString());
        } catch (CharacterCodingException e) {
            problems.add(new Problem(f.toString(), 0, 0, "not valid UTF-8"));
        } catch (IOException e) {
            problems.add(new Problem(f.toString(), 0, 0, "cannot read: " + e));
        }
    }
}
