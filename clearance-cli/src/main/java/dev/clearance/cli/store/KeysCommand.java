package dev.clearance.cli.store;

import dev.clearance.cli.CommandGroup;
import dev.clearance.store.ApiKey;
import dev.clearance.store.IssuedKey;
import dev.clearance.store.Store;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clearance keys ...}: API keys that authenticate callers as principals. */
@Command(
        name = "keys",
        description = "Create and revoke API keys.",
        subcommands = {KeysCommand.Create.class, KeysCommand.Revoke.class, KeysCommand.ListCommand.class})
public final class KeysCommand extends CommandGroup {

    /** {@code clearance keys create --principal ID}: prints the new key once, on stdout alone. */
    @Command(
            name = "create",
            description = "Create an API key for a stored principal. The key is printed once, "
                    + "on standard output; only its hash is stored.")
    static final class Create implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Mixin
        Actor actor;

        @Option(
                names = "--principal",
                required = true,
                paramLabel = "ID",
                description = "The principal the key authenticates.")
        String principal;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try (Store store = options.open()) {
                IssuedKey key = store.keys().create(principal, actor.name());
                spec.commandLine().getOut().println(key.key());
                err.printf(
                        "created key clr_%s for principal %s; store it now, it cannot be shown again%n",
                        key.info().prefix(), principal);
                return 0;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }
    }

    /** {@code clearance keys revoke PREFIX}. */
    @Command(
            name = "revoke",
            description = "Revoke an API key by its prefix (clr_xxxxxxxx). It stops working on every node.")
    static final class Revoke implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Mixin
        Actor actor;

        @Parameters(paramLabel = "PREFIX", description = "The key's prefix, as clr_xxxxxxxx or xxxxxxxx.")
        String prefix;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try (Store store = options.open()) {
                ApiKey key = store.keys().revoke(prefix, actor.name());
                spec.commandLine()
                        .getOut()
                        .printf(
                                "revoked key clr_%s of principal %s (at %s by %s)%n",
                                key.prefix(), key.principalId(), key.revokedAt(), key.revokedBy());
                return 0;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }
    }

    /** {@code clearance keys list --principal ID}: prefixes and dates, never secrets (the store has none). */
    @Command(name = "list", description = "List the API keys of a principal: prefix, created and revoked (who, when).")
    static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Option(names = "--principal", required = true, paramLabel = "ID", description = "The principal.")
        String principal;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try (Store store = options.open()) {
                java.util.List<ApiKey> keys = store.keys().of(principal);
                if (keys.isEmpty()) {
                    if (store.principals().get(principal).isEmpty()) {
                        return options.notFound(spec.commandLine().getErr(), "no principal '" + principal + "'");
                    }
                    spec.commandLine().getErr().println("principal " + principal + " has no API keys");
                }
                for (ApiKey k : keys) {
                    out.printf(
                            "clr_%s  created %s by %s%s%n",
                            k.prefix(),
                            k.createdAt(),
                            k.createdBy(),
                            k.revoked() ? "  REVOKED " + k.revokedAt() + " by " + k.revokedBy() : "");
                }
                return 0;
            } catch (RuntimeException e) {
                return options.fail(spec.commandLine().getErr(), e);
            }
        }
    }
}
