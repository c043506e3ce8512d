package dev.clearance.simulate;

import dev.clearance.core.Directive;
import dev.clearance.core.DirectiveParser;
import dev.clearance.core.Json;
import dev.clearance.core.Policy;
import dev.clearance.core.Principal;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The small hand-checked world of {@code src/test/resources/fixtures}. */
final class Fixtures {
    private Fixtures() {}

    static Path dir() {
        try {
            return Path.of(Fixtures.class
                            .getResource("/fixtures/principals.jsonl")
                            .toURI())
                    .getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Policy policy(String sub) throws Exception {
        List<Directive> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir().resolve(sub))) {
            for (Path f : files.sorted().toList()) {
                all.addAll(DirectiveParser.parse(f.getFileName().toString(), Files.readString(f)));
            }
        }
        return Policy.compile(all);
    }

    static List<Principal> principals() throws Exception {
        List<Principal> out = new ArrayList<>();
        int line = 0;
        for (String s : Files.readAllLines(dir().resolve("principals.jsonl"))) {
            line++;
            out.add(Json.principal(s, "principals.jsonl", line));
        }
        return out;
    }

    static Path requests() {
        return dir().resolve("requests.jsonl");
    }

    static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }
}
