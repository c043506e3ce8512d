package dev.clearance.cli.log;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code clearance log}: read, prove and verify the tamper-evident decision log. */
@Command(
        name = "log",
        mixinStandardHelpOptions = true,
        description = "Read, prove and verify the tamper-evident decision log.",
        subcommands = {
            LogCheckpointCommand.class,
            LogPublicKeyCommand.class,
            LogEntriesCommand.class,
            LogProveCommand.class,
            LogVerifyCommand.class,
            LogExportCommand.class,
            LogVerifyBundleCommand.class,
            LogSearchCommand.class,
        })
public final class LogCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
