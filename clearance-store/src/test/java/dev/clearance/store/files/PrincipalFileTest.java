package dev.clearance.store.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrincipalFileTest {
    @TempDir
    Path dir;

    private Path write(List<String> lines) throws Exception {
        Path f = dir.resolve("principals.jsonl");
        Files.write(f, lines);
        return f;
    }

    private static String person(int i) {
        return "{\"id\": \"p" + i + "\", \"kind\": \"person\", \"citizenships\": [\"" + (i % 3 == 0 ? "US" : "FR")
                + "\"]}";
    }

    private static List<Principal> streamed(Path f) throws Exception {
        List<Principal> out = new ArrayList<>();
        PrincipalFile.stream(f, (p, line) -> out.add(p));
        return out;
    }

    @Test
    void reading_on_several_threads_gives_the_principals_in_file_order() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            lines.add(person(i));
            if (i % 1000 == 0) {
                lines.add("# a comment");
                lines.add("");
            }
        }
        Path f = write(lines);
        List<Principal> all = PrincipalFile.readAll(f, 3);
        assertThat(all).hasSize(10_000).isEqualTo(streamed(f));
        assertThat(all.get(9_999).id()).isEqualTo("p9999");
    }

    @Test
    void reading_on_several_threads_reports_the_same_problems_with_their_lines() throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            lines.add(person(i));
        }
        lines.set(10, "{\"id\": \"p10\", \"kind\": \"person\", \"identity_assurance\": \"high\"}");
        lines.set(4_000, person(7)); // duplicate of line 8
        lines.set(4_500, "{not json");
        Path f = write(lines);
        PolicyException parallel = catchThrowableOfType(PolicyException.class, () -> PrincipalFile.readAll(f, 4));
        PolicyException sequential = catchThrowableOfType(PolicyException.class, () -> streamed(f));
        assertThat(parallel.problems()).hasSize(3).isEqualTo(sequential.problems());
        assertThat(parallel.problems().get(1).line()).isEqualTo(4_001);
        assertThat(parallel.problems().get(1).message()).contains("duplicate principal id 'p7' (first on line 8)");
    }
}
