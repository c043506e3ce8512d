package dev.clearance.cli.store;

import dev.clearance.cli.CommandGroup;
import dev.clearance.core.Json;
import dev.clearance.core.PolicyException;
import dev.clearance.store.PrincipalRegistry;
import dev.clearance.store.Store;
import dev.clearance.store.StoredPrincipal;
import dev.clearance.store.files.PrincipalFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code clearance principals ...}: the principal registry in the store. */
@Command(
        name = "principals",
        description = "Manage the principals in the store.",
        subcommands = {PrincipalsCommand.Import.class, PrincipalsCommand.Show.class, PrincipalsCommand.Delete.class})
public final class PrincipalsCommand extends CommandGroup {

    /** {@code clearance principals import FILE}. */
    @Command(
            name = "import",
            description = "Import principals from a JSON Lines file into the store, all or nothing: "
                    + "any invalid line is reported as file:line: message and nothing is stored. "
                    + "Principals already stored with other ids are kept.")
    static final class Import implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Mixin
        Actor actor;

        @Parameters(paramLabel = "FILE", description = "Principals, one JSON object per line.")
        Path file;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try (Store store = options.openOrCreate()) {
                PrincipalRegistry.ImportResult result = store.principals()
                        .importAll(sink -> PrincipalFile.stream(file, (p, line) -> sink.accept(p)), actor.name());
                out.printf(
                        "imported %d principal(s) from %s (principal version %d)%n",
                        result.count(), file, result.version());
                return 0;
            } catch (PolicyException e) {
                e.problems().forEach(err::println);
                err.printf("%d error(s); nothing imported%n", e.problems().size());
                return 1;
            } catch (IOException e) {
                err.println(file + ": cannot read: " + e.getMessage() + "; nothing imported");
                return 1;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            } catch (Exception e) {
                err.println(file + ": " + e.getMessage() + "; nothing imported");
                return 1;
            }
        }
    }

    /** {@code clearance principals show ID}: the stored principal as its canonical JSON line. */
    @Command(
            name = "show",
            description = "Print a stored principal as one JSON line (the import format) and its version on stderr.")
    static final class Show implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Parameters(paramLabel = "ID", description = "The principal id.")
        String id;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try (Store store = options.open()) {
                Optional<StoredPrincipal> found = store.principals().get(id);
                if (found.isEmpty()) {
                    return options.notFound(err, "no principal '" + id + "'");
                }
                spec.commandLine()
                        .getOut()
                        .println(Json.writePrincipal(found.get().principal()));
                err.printf(
                        "version %d, updated %s%n",
                        found.get().version(), found.get().updatedAt());
                return 0;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }
    }

    /** {@code clearance principals delete ID}. */
    @Command(
            name = "delete",
            description =
                    "Delete a stored principal. Its API keys stop resolving to anyone: requests with them are denied.")
    static final class Delete implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        StoreOptions options;

        @Mixin
        Actor actor;

        @Parameters(paramLabel = "ID", description = "The principal id.")
        String id;

        @Override
        public Integer call() {
            PrintWriter err = spec.commandLine().getErr();
            try (Store store = options.open()) {
                if (!store.principals().delete(id, actor.name())) {
                    return options.notFound(err, "no principal '" + id + "'");
                }
                spec.commandLine().getOut().println("deleted principal " + id);
                return 0;
            } catch (RuntimeException e) {
                return options.fail(err, e);
            }
        }
    }
}
