package dev.clearance.cli.store;

import dev.clearance.cli.CommandGroup;
import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.store.FleetView;
import dev.clearance.store.Store;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clearance fleet ...}: the gateway nodes sharing the store. */
@Command(
        name = "fleet",
        description = "The gateway nodes sharing the store: which policy version each enforces, and when each was"
                + " last seen.",
        subcommands = {FleetCommand.Status.class, CommandLine.HelpCommand.class})
public final class FleetCommand extends CommandGroup {

    /** {@code clearance fleet status}: the fleet view, read from the store (no node needs to be up). */
    @Command(
            name = "status",
            description =
                    "Show the active policy version and, for every node, the version it enforces, since when,"
                            + " when it was last seen and whether it is up, stale or down (fleet.stale_after, fleet.down_after).")
    static final class Status implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Option(names = "--json", description = "Print the JSON of GET /admin/v1/fleet instead of a table.")
        boolean json;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                ClearanceConfig config = options.load();
                FleetView view;
                try (Store store = options.open()) {
                    view = FleetView.read(
                            store, Clock.systemUTC().instant(), config.fleet().thresholds());
                }
                if (json) {
                    out.println(view.toJson());
                } else {
                    print(view, out);
                }
                out.flush();
                return 0;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }

        private static void print(FleetView view, PrintWriter out) {
            out.printf("active policy: version %d (%s)%n", view.policyNumber(), view.policyVersion());
            if (view.nodes().isEmpty()) {
                out.println("no node has registered in this store yet");
                return;
            }
            out.printf(
                    "%-24s %-8s %-10s %-28s %-28s %s%n",
                    "NODE", "POLICY", "VERSION", "APPLIED AT", "LAST SEEN", "STATUS");
            for (FleetView.Member m : view.nodes()) {
                out.printf(
                        "%-24s %-8s %-10s %-28s %-28s %s%s%n",
                        m.node(),
                        m.policyNumber().map(String::valueOf).orElse("-"),
                        m.policyVersion().isEmpty() ? "-" : abbreviate(m.policyVersion()),
                        m.appliedAt() == null ? "-" : m.appliedAt(),
                        m.lastSeen(),
                        m.status().wireName(),
                        m.policyVersion().equals(view.policyVersion()) ? "" : " (not the active version)");
            }
        }

        private static String abbreviate(String hash) {
            return hash.length() > 10 ? hash.substring(0, 10) : hash;
        }
    }
}
