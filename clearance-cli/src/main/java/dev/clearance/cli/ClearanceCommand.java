package dev.clearance.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code clearance} command; each capability registers its subcommand here. */
@Command(
        name = "clearance",
        mixinStandardHelpOptions = true,
        versionProvider = ClearanceCommand.Version.class,
        description =
                "Enforce export-control and sanctions directives on hosted AI models: precisely, instantly, provably.")
public final class ClearanceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Each capability's subcommand, in the order the usage lists them. */
    private static final List<Class<?>> SUBCOMMANDS = List.of(
            dev.clearance.cli.policy.ValidateCommand.class,
            dev.clearance.cli.policy.DecideCommand.class,
            dev.clearance.cli.store.PrincipalsCommand.class,
            dev.clearance.cli.store.DirectivesCommand.class,
            dev.clearance.cli.store.KeysCommand.class,
            dev.clearance.cli.store.FleetCommand.class,
            dev.clearance.cli.log.LogCommand.class,
            dev.clearance.cli.serve.ServeCommand.class,
            dev.clearance.cli.simulate.SimulateCommand.class,
            dev.clearance.cli.lifecycle.LifecycleCommand.class,
            dev.clearance.cli.screen.ScreenCommand.class,
            dev.clearance.cli.screen.ScreeningCommand.class,
            dev.clearance.cli.classify.ClassifyCommand.class);

    /** The whole command tree. */
    static CommandLine commandLine() {
        return commandLine(null);
    }

    /**
     * The command tree for one command line: when its first argument names a subcommand, the tree holds
     * that subcommand only. picocli builds a command's model by reflection over every option of every
     * command in the tree before any command runs: the whole tree took 0.30-0.38 s of a simulate run (C1
     * only, as the launcher runs it), simulate's own 0.18-0.25 s. Parsing, usage and errors of the named
     * command are the same either way. Anything else (no argument, an option, {@code help}, an
     * {@code @file}, a mistyped name) gets the whole tree, so picocli lists and suggests every command.
     */
    static CommandLine commandLine(String first) {
        List<Class<?>> named = first == null
                ? List.of()
                : SUBCOMMANDS.stream().filter(c -> named(c, first)).toList();
        CommandLine cl = new CommandLine(new ClearanceCommand());
        (named.isEmpty() ? SUBCOMMANDS : named).forEach(cl::addSubcommand);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine directives = cl.getSubcommands().get("directives");
        if (directives != null) {
            directives.addSubcommand(new dev.clearance.cli.lifecycle.LifecycleCommand.Diff());
            directives.addSubcommand(new dev.clearance.cli.lifecycle.LifecycleCommand.ShadowReport());
        }
        installHelp(cl);
        return cl;
    }

    private static boolean named(Class<?> sub, String name) {
        Command c = sub.getAnnotation(Command.class);
        return c.name().equals(name) || List.of(c.aliases()).contains(name);
    }

    /**
     * Every command answers {@code --help} (and {@code --version}), and every command with subcommands
     * has a {@code help} subcommand that takes a path ({@code help lifecycle propose}). Done here, over
     * the whole tree, so a command added later cannot miss it.
     */
    private static void installHelp(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (!spec.mixinStandardHelpOptions()) {
            spec.mixinStandardHelpOptions(true);
        }
        if (cl.getCommand() instanceof HelpCommand) {
            return;
        }
        for (CommandLine sub : java.util.List.copyOf(cl.getSubcommands().values())) {
            installHelp(sub);
        }
        if (!cl.getSubcommands().isEmpty()) {
            CommandLine help = cl.getSubcommands().get("help");
            if (help != null && !(help.getCommand() instanceof HelpCommand)) {
                spec.removeSubcommand("help");
                help = null;
            }
            if (help == null) {
                CommandLine added = new CommandLine(new HelpCommand());
                cl.addSubcommand("help", added);
                added.getCommandSpec().mixinStandardHelpOptions(true);
            }
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = ClearanceCommand.class.getPackage().getImplementationVersion();
            return new String[] {"clearance " + (v == null ? "dev" : v)};
        }
    }
}
