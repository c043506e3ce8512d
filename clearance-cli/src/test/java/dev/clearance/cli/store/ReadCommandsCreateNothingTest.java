package dev.clearance.cli.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.cli.CliRun;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.StoreLocation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A command that reads (or changes what is stored) never creates a store as a side effect, and every
 * "not found" names the store it read and how to point at another.
 */
class ReadCommandsCreateNothingTest {
    static final Path EXAMPLES = Path.of("..", "examples").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    Path config;

    @BeforeEach
    void writeConfig() throws Exception {
        config = Files.writeString(dir.resolve("clearance.yaml"), "data_dir: state\n");
    }

    CliRun run(String command) {
        List<String> args = new ArrayList<>(
                List.of(command.replace("EXAMPLES", EXAMPLES.toString()).split(" ")));
        args.addAll(List.of("--config", config.toString()));
        return CliRun.of(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "clearance {0}")
    @ValueSource(
            strings = {
                "directives history dir-2026-017",
                "directives list",
                "directives diff d@1 d@2",
                "directives shadow-report d",
                "principals show alice",
                "principals delete alice",
                "keys list --principal alice",
                "keys create --principal alice",
                "keys revoke clr_abcdefgh",
                "lifecycle approve d@1 --reason r",
                "lifecycle activate d@1 --reason r",
                "lifecycle withdraw d@1 --reason r",
                "lifecycle schedule",
                "lifecycle run-due",
                "screening show alice",
                "screening pending",
                "screening sync",
                "simulate --draft EXAMPLES/directives",
            })
    void a_command_on_a_store_that_does_not_exist_fails_naming_it_and_creates_nothing(String command) {
        CliRun run = run(command);

        assertThat(run.exitCode()).as(run.out()).isEqualTo(1);
        assertThat(run.err())
                .contains("no store at " + dir.resolve("state").resolve("clearance.db"))
                .contains("configured in " + config)
                .contains("nothing was created")
                .contains("--config FILE");
        assertThat(dir.resolve("state")).doesNotExist();
    }

    @Test
    void a_directive_that_is_not_in_the_store_is_reported_with_the_store_it_was_looked_for_in() {
        assertThat(run("principals import EXAMPLES/principals.jsonl").exitCode())
                .isZero();

        CliRun run = run("directives history dir-2026-017");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err())
                .contains("no directive 'dir-2026-017' in the store jdbc:sqlite:"
                        + dir.resolve("state").resolve("clearance.db"))
                .contains("configured in " + config)
                .contains("point at another store with --config FILE");
    }

    @Test
    void a_lifecycle_step_on_a_version_that_is_not_there_names_the_store() {
        assertThat(run("principals import EXAMPLES/principals.jsonl").exitCode())
                .isZero();

        CliRun run = run("lifecycle approve d@1 --reason r");

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no directive version d@1 in the store jdbc:sqlite:");
    }

    @Test
    void without_a_configuration_the_message_says_the_embedded_default_was_read() {
        String message = StoreLocation.of(ClearanceConfig.defaults(dir)).notFound("no principal 'x'");

        assertThat(message)
                .contains("jdbc:sqlite:" + dir.resolve("data").resolve("clearance.db"))
                .contains("the embedded default: no --config given and no ./clearance.yaml");
    }
}
