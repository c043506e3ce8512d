package dev.clearance.cli.lifecycle;

import dev.clearance.cli.simulate.PopulationQuestion;
import dev.clearance.core.Policy;
import dev.clearance.core.PolicyException;
import dev.clearance.core.Principal;
import dev.clearance.simulate.Simulation;
import dev.clearance.simulate.Traffic;
import dev.clearance.store.Store;
import dev.clearance.store.files.PrincipalFile;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Principals and traffic for an impact run: files, or the store's principals. */
final class ImpactInputs {
    @Option(
            names = "--principals",
            paramLabel = "FILE",
            description = "Principals, JSON Lines (default: the stored principals).")
    Path principals;

    @Option(names = "--requests", paramLabel = "FILE", description = "Recorded requests, JSON Lines (default: none).")
    Path requests;

    @Option(
            names = "--at",
            paramLabel = "TIME",
            description = "RFC 3339 instant the principals are evaluated at (default: now).")
    String at;

    List<Principal> population(Store store) throws PolicyException, IOException {
        List<Principal> out = new ArrayList<>();
        if (principals != null) {
            PrincipalFile.stream(principals, (p, line) -> out.add(p));
        } else {
            store.principals().forEach(sp -> out.add(sp.principal()));
        }
        return out;
    }

    Instant when() {
        try {
            return at == null ? Instant.now() : OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "--at: '" + at + "' is not an RFC 3339 timestamp with an offset (e.g. 2026-11-26T12:00:00Z)");
        }
    }

    @Mixin
    PopulationQuestion question;

    Simulation simulation(Policy before, Policy after) {
        return question.applyTo(Simulation.of(before, after).at(when()));
    }

    Traffic traffic() {
        return requests == null ? new Traffic.None() : new Traffic.JsonLinesFile(requests);
    }
}
