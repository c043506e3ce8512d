package dev.clearance.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The top-level {@code clearance} command; each capability registers its subcommand here. */
@Command(
        name = "clearance",
        mixinStandardHelpOptions = true,
        versionProvider = ClearanceCommand.Version.class,
        description =
                "Enforce export-control and sanctions directives on hosted AI models: precisely, instantly, provably.",
        subcommands = {
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
            dev.clearance.cli.classify.ClassifyCommand.class,
        })
public final class ClearanceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ClearanceCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.getSubcommands().get("directives").addSubcommand(new dev.clearance.cli.lifecycle.LifecycleCommand.Diff());
        cl.getSubcommands()
                .get("directives")
                .addSubcommand(new dev.clearance.cli.lifecycle.LifecycleCommand.ShadowReport());
        installHelp(cl);
        return cl;
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
