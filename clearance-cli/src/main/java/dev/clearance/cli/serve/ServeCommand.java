package dev.clearance.cli.serve;

import dev.clearance.core.PolicyException;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code clearance serve}: the gateway from a configuration file, or the self-contained demo. */
@Command(
        name = "serve",
        description = "Run the enforcement gateway (OpenAI- and Anthropic-compatible) and its admin API. "
                + "Use --demo for a self-contained demo with the examples and a DEMO upstream.")
public final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Mode mode;

    static final class Mode {
        @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (clearance.yaml).")
        Path config;

        @Option(
                names = "--demo",
                description = "Embedded store, the example directives and principals, printed API keys, "
                        + "and a local DEMO upstream that answers canned text.")
        boolean demo;
    }

    @Option(
            names = "--data-dir",
            paramLabel = "DIR",
            description = "Demo: where the embedded store lives (default: a new temporary directory).")
    Path dataDir;

    @Option(
            names = "--examples",
            paramLabel = "DIR",
            description = "Demo: the examples directory (default: ./examples, else the one beside the installation).")
    Path examples;

    @Option(names = "--port", defaultValue = "8080", description = "Demo: model API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--admin-port",
            defaultValue = "8081",
            description = "Demo: admin API port (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(
            names = "--demo-upstream",
            description =
                    "With --config: send every model to a local DEMO upstream (canned text, no model runs) instead"
                            + " of the configured upstreams, to try out a store before a model server is wired in.")
    boolean demoUpstream;

    @Option(
            names = "--replace-admin-changes",
            description = "With --config: load directive and principal files that changed since their last load even"
                    + " where that undoes changes made since over the admin API or the CLI (otherwise serve refuses"
                    + " to start and names them).")
    boolean replaceAdminChanges;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (mode.demo) {
            if (replaceAdminChanges || demoUpstream) {
                err.println("serve: --replace-admin-changes and --demo-upstream go with --config (the demo loads its"
                        + " examples into its own store and always uses the DEMO upstream)");
                return 2;
            }
            return demo(out, err);
        }
        return ConfiguredServer.run(mode.config, replaceAdminChanges, demoUpstream, out, err);
    }

    private int demo(PrintWriter out, PrintWriter err) throws IOException {
        Path ex = examplesDirectory();
        if (ex == null) {
            err.println(
                    "serve --demo: no examples directory found (looked at ./examples and beside the installation); pass --examples DIR");
            return 2;
        }
        Path dir = dataDir != null ? dataDir : Files.createTempDirectory("clearance-demo-");
        Demo demo;
        try {
            demo = Demo.start(ex, dir, "127.0.0.1", port, adminPort, Duration.ofMillis(150));
        } catch (PolicyException e) {
            e.problems().forEach(err::println);
            return 1;
        }
        demo.printWelcome(out);
        return serveUntilStopped(demo);
    }

    /** Blocks until the JVM is asked to stop (Ctrl-C), then closes {@code running}. */
    static int serveUntilStopped(AutoCloseable running) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                running.close();
            } catch (Exception e) {
                // Shutting down anyway.
            }
            stopped.countDown();
        }));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private Path examplesDirectory() {
        if (examples != null) {
            return Files.isDirectory(examples) ? examples : null;
        }
        Path here = Path.of("examples");
        if (Files.isDirectory(here.resolve("directives"))) {
            return here;
        }
        try {
            // <root>/clearance-cli/target/clearance-cli.jar -> <root>/examples
            Path jar = Path.of(ServeCommand.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
            Path beside = jar.getParent().getParent().getParent().resolve("examples");
            return Files.isDirectory(beside.resolve("directives")) ? beside : null;
        } catch (URISyntaxException | RuntimeException e) {
            return null;
        }
    }
}
