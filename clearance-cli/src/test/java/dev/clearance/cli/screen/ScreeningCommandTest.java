package dev.clearance.cli.screen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScreeningCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path config;

    private static String resource(String name) {
        try {
            return Path.of(ScreeningCommandTest.class
                            .getResource("/screen/" + name)
                            .toURI())
                    .toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return new Run(Main.run(args), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @BeforeEach
    void storeWithPrincipals() throws Exception {
        config = dir.resolve("clearance.yaml");
        Files.writeString(config, "data_dir: ./data\n");
        Path principals = dir.resolve("principals.jsonl");
        Files.writeString(principals, """
                {"id": "elena", "kind": "person", "name": "Elena Khusyaynova"}
                {"id": "jane", "kind": "person", "name": "Jane Doe", "organization": "nevskiy"}
                {"id": "nevskiy", "kind": "organization", "name": "Nevskiy News LLC"}
                """);
        Run r = run("principals", "import", principals.toString(), "--config", config.toString());
        assertThat(r.exit()).as(r.err()).isZero();
    }

    @Test
    void every_imported_list_version_is_listed_newest_first_with_the_one_in_force_marked() throws Exception {
        Run first = run(
                "screening",
                "import",
                "--list",
                "ofac-sdn=" + resource("ofac"),
                "--config",
                config.toString(),
                "--by",
                "ann");
        assertThat(first.exit()).as(first.err()).isZero();
        Path changed = Files.createDirectories(dir.resolve("ofac-2"));
        for (String f : new String[] {"sdn.csv", "alt.csv", "add.csv"}) {
            Files.copy(Path.of(resource("ofac")).resolve(f), changed.resolve(f));
        }
        Files.writeString(
                changed.resolve("sdn.csv"),
                "99999,\"NEW PARTY TRADING\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
                StandardOpenOption.APPEND);
        Run second = run(
                "screening", "import", "--list", "ofac-sdn=" + changed, "--config", config.toString(), "--by", "bob");
        assertThat(second.exit()).as(second.err()).isZero();

        Run lists = run("screening", "lists", "--config", config.toString());
        assertThat(lists.exit()).as(lists.err()).isZero();
        List<JsonNode> rows = new ArrayList<>();
        for (String l : lists.out().lines().toList()) {
            rows.add(JSON.readTree(l));
        }
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).get("importedBy").asText()).isEqualTo("bob");
        assertThat(rows.get(0).get("active").asBoolean()).isTrue();
        assertThat(rows.get(0).get("parties").asInt()).isEqualTo(12);
        assertThat(rows.get(1).get("importedBy").asText()).isEqualTo("ann");
        assertThat(rows.get(1).get("active").asBoolean()).isFalse();
    }

    @Test
    void importingAListScreensThePrincipalsAndAReviewerClearsAFalsePositiveOnTheRecord() throws Exception {
        Run imported = run(
                "screening",
                "import",
                "--list",
                "ofac-sdn=" + resource("ofac"),
                "--config",
                config.toString(),
                "--by",
                "ann");
        assertThat(imported.exit()).as(imported.err()).isZero();
        assertThat(imported.out()).contains("ofac-sdn: 11 parties, sha256:").contains("3 principal(s) re-screened");

        Run pending = run("screening", "pending", "--config", config.toString());
        assertThat(pending.out().lines())
                .anySatisfy(
                        l -> assertThat(l).contains("\"principalId\":\"elena\"").contains("\"entityId\":\"26233\""));

        Run review = run(
                "screening",
                "review",
                "elena",
                "--list",
                "SDN",
                "--entity",
                "26233",
                "--verdict",
                "false-positive",
                "--reason",
                "Different date of birth, passport checked",
                "--by",
                "rev",
                "--config",
                config.toString());
        assertThat(review.exit()).as(review.err()).isZero();
        JsonNode status = JSON.readTree(review.out().lines().toList().get(1));
        assertThat(status.get("status").asText()).isEqualTo("clear");

        Run show = run("screening", "show", "elena", "--config", config.toString());
        JsonNode shown = JSON.readTree(show.out());
        assertThat(shown.get("result").get("screening").get("status").asText()).isEqualTo("clear");
        assertThat(shown.get("reviews").get(0).get("reason").asText())
                .isEqualTo("Different date of birth, passport checked");
        assertThat(shown.get("reviews").get(0).get("reviewer").asText()).isEqualTo("rev");
    }

    @Test
    void aFailedImportActivatesNothing() {
        Run r = run(
                "screening",
                "import",
                "--list",
                "ofac-sdn=" + resource("ofac"),
                "--list",
                "bis-dpl=" + resource("ofac/sdn.csv"),
                "--config",
                config.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err())
                .contains("sdn.csv:1: header is")
                .contains("nothing imported; the active lists are unchanged");
        Run show = run("screening", "show", "elena", "--config", config.toString());
        assertThat(show.exit()).isEqualTo(1);
    }

    @Test
    void aReviewOfAMatchThePrincipalDoesNotHaveIsRefused() {
        run("screening", "import", "--list", "ofac-sdn=" + resource("ofac"), "--config", config.toString());

        Run r = run(
                "screening",
                "review",
                "jane",
                "--list",
                "SDN",
                "--entity",
                "26233",
                "--verdict",
                "confirmed",
                "--reason",
                "x",
                "--config",
                config.toString());

        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("principal 'jane' has no match with SDN entry 26233");
    }
}
