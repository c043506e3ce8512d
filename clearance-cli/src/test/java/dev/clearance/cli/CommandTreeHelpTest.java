package dev.clearance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

/**
 * Walks the whole command tree: every command and subcommand answers {@code --help} and
 * {@code help <path>} with its own usage and exit 0, so a command added later cannot miss it.
 */
class CommandTreeHelpTest {

    /** Every command path under {@code clearance}, e.g. {@code [lifecycle, propose]}; the root is the empty path. */
    static Stream<List<String>> commands() {
        List<List<String>> out = new ArrayList<>();
        walk(ClearanceCommand.commandLine(), new ArrayList<>(), out);
        return out.stream();
    }

    private static void walk(CommandLine cl, List<String> path, List<List<String>> out) {
        out.add(List.copyOf(path));
        cl.getSubcommands().forEach((name, sub) -> {
            if (!sub.getCommandName().equals(name)) {
                return; // an alias of a subcommand already walked
            }
            path.add(name);
            walk(sub, path, out);
            path.remove(path.size() - 1);
        });
    }

    @Test
    void the_tree_holds_the_commands_the_docs_use() {
        assertThat(commands().map(p -> String.join(" ", p)))
                .contains("serve", "lifecycle", "lifecycle propose", "directives diff", "log entries", "help")
                .hasSizeGreaterThan(40);
    }

    @Test
    void a_command_line_builds_the_tree_of_the_command_it_names_and_no_other() {
        assertThat(ClearanceCommand.commandLine("simulate").getSubcommands().keySet())
                .containsExactlyInAnyOrder("simulate", "help");
        assertThat(ClearanceCommand.commandLine("directives")
                        .getSubcommands()
                        .get("directives")
                        .getSubcommands())
                .containsKeys("diff", "shadow-report");
        int all = ClearanceCommand.commandLine().getSubcommands().size();
        for (String other : List.of("simulat", "--help", "help", "@args.txt")) {
            assertThat(ClearanceCommand.commandLine(other).getSubcommands())
                    .as(other)
                    .hasSize(all);
        }
    }

    @ParameterizedTest(name = "clearance {0} --help")
    @MethodSource("commands")
    void every_command_answers_the_help_option_with_its_usage(List<String> path) {
        List<String> args = new ArrayList<>(path);
        args.add("--help");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.err()).doesNotContain("Unknown option");
        assertThat(firstLine(run.out())).matches(usageLine(path));
    }

    @ParameterizedTest(name = "clearance help {0}")
    @MethodSource("commands")
    void every_command_answers_the_help_subcommand_with_its_usage(List<String> path) {
        List<String> args = new ArrayList<>(List.of("help"));
        args.addAll(path);
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(firstLine(run.out())).matches(usageLine(path));
    }

    @ParameterizedTest(name = "clearance {0} help")
    @MethodSource("commands")
    void every_command_with_subcommands_has_its_own_help_subcommand(List<String> path) {
        CommandLine cl = ClearanceCommand.commandLine();
        for (String name : path) {
            cl = cl.getSubcommands().get(name);
        }
        if (cl.getSubcommands().isEmpty()) {
            return;
        }
        List<String> args = new ArrayList<>(path);
        args.add("help");
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(firstLine(run.out())).matches(usageLine(path));
    }

    @Test
    void help_for_a_command_that_does_not_exist_names_the_valid_ones() {
        CliRun run = CliRun.of("help", "lifecycle", "propse");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no subcommand 'propse'").contains("propose");
    }

    /** The first line of a usage: the command's full name, then its options or nothing. */
    private static String usageLine(List<String> path) {
        return java.util.regex.Pattern.quote(("Usage: clearance " + String.join(" ", path)).strip()) + "( .*)?";
    }

    private static String firstLine(String s) {
        return s.lines().findFirst().orElse("");
    }
}
