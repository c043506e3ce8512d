package dev.clearance.cli.lifecycle;

import dev.clearance.cli.config.ClearanceConfig;
import dev.clearance.cli.config.ConfigException;
import dev.clearance.cli.config.StoreLocation;
import dev.clearance.lifecycle.LifecycleException;
import dev.clearance.lifecycle.LifecycleRules;
import dev.clearance.lifecycle.LifecycleService;
import dev.clearance.store.Store;
import dev.clearance.store.StoreException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** {@code --config} for the lifecycle commands; the rules come from the configuration only. */
final class LifecycleOptions {
    @Option(
            names = "--config",
            paramLabel = "FILE",
            description =
                    "Configuration file (default: ./clearance.yaml if present, else the embedded store in ./data). "
                            + "lifecycle.two_person_rule is read from it.")
    Path config;

    private ClearanceConfig loaded;

    ClearanceConfig load() {
        if (loaded == null) {
            loaded = ClearanceConfig.resolve(config);
        }
        return loaded;
    }

    /** The store, which must exist (reading never creates one), or with {@code create} is created when missing. */
    Store open(boolean create) {
        StoreLocation where = StoreLocation.of(load());
        return create ? where.openOrCreate() : where.openExisting();
    }

    LifecycleService service(Store store, ClearanceConfig cfg) {
        return new LifecycleService(
                store, new LifecycleRules(cfg.lifecycle().twoPersonRule()), Clock.systemUTC(), "cli");
    }

    /** {@code id@version}. */
    record Ref(String id, int version) {
        static Ref parse(String s) {
            int at = s.lastIndexOf('@');
            if (at <= 0 || at == s.length() - 1) {
                throw new IllegalArgumentException("'" + s + "' is not ID@VERSION (e.g. dir-2026-017@2)");
            }
            try {
                int v = Integer.parseInt(s.substring(at + 1));
                if (v < 1) {
                    throw new NumberFormatException();
                }
                return new Ref(s.substring(0, at), v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + s + "': the version after @ must be a positive number");
            }
        }

        @Override
        public String toString() {
            return id + "@" + version;
        }
    }

    /** Prints a configuration, store or lifecycle failure and returns the exit code; anything else is a bug and propagates. */
    int fail(PrintWriter err, RuntimeException e) {
        if (e instanceof ConfigException ce) {
            ce.problems().forEach(err::println);
        } else if (e instanceof StoreException.NotFound && loaded != null) {
            err.println("clearance: " + StoreLocation.of(loaded).notFound(e.getMessage()));
        } else if (e instanceof StoreException
                || e instanceof LifecycleException
                || e instanceof IllegalArgumentException) {
            err.println("clearance: " + e.getMessage());
        } else {
            throw e;
        }
        return 1;
    }
}
