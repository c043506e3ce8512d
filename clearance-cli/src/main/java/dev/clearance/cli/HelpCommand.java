package dev.clearance.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Parameters;

/**
 * {@code help [COMMAND...]}: the usage of a command named by its whole path, e.g.
 * {@code clearance help lifecycle propose}. picocli's own help command takes one name only, so it
 * printed the usage of {@code lifecycle} for that; this one walks the path. Installed at every level
 * by {@link ClearanceCommand#commandLine()}.
 */
@Command(
        name = "help",
        helpCommand = true,
        description = "Print the usage of a command: 'help', 'help lifecycle', 'help lifecycle propose'.")
final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Callable<Integer> {
    @Parameters(
            paramLabel = "COMMAND",
            arity = "0..*",
            description = "A subcommand and its subcommands, e.g. 'lifecycle propose'.")
    List<String> path = new ArrayList<>();

    private CommandLine self;
    private ColorScheme colors;
    private PrintWriter out;
    private PrintWriter err;

    @Override
    public void init(CommandLine helpCommandLine, ColorScheme colorScheme, PrintWriter out, PrintWriter err) {
        this.self = helpCommandLine;
        this.colors = colorScheme;
        this.out = out;
        this.err = err;
    }

    @Override
    public Integer call() {
        CommandLine target = self.getParent() == null ? self : self.getParent();
        for (String name : path) {
            CommandLine next = target.getSubcommands().get(name);
            if (next == null) {
                err.printf(
                        "%s has no subcommand '%s' (valid: %s)%n",
                        target.getCommandSpec().qualifiedName(),
                        name,
                        String.join(", ", target.getSubcommands().keySet()));
                err.flush();
                return 2;
            }
            target = next;
        }
        target.usage(out, colors);
        out.flush();
        return 0;
    }
}
