package dev.clearance.cli.log;

import dev.clearance.record.RecordSearch;
import java.time.Instant;
import picocli.CommandLine.Option;

/**
 * {@code --principal}, {@code --model}, {@code --decision} and {@code --directive}: which entries a
 * search finds and an evidence bundle holds, the same for both commands.
 */
final class EntryFilters {
    @Option(
            names = "--principal",
            paramLabel = "ID",
            description = "Only entries of this principal (or by this person).")
    String principal;

    @Option(names = "--model", paramLabel = "M", description = "Only decisions on this model.")
    String model;

    @Option(names = "--decision", paramLabel = "OUTCOME", description = "allow, deny or policy (policy changes).")
    String decision;

    @Option(
            names = "--directive",
            paramLabel = "ID",
            description = "Entries naming this directive: determining or shadow directive of a decision, or a"
                    + " version a policy change names.")
    String directive;

    /** The criteria for entries with time in {@code [from, to)} (either may be null: unbounded). */
    RecordSearch.Criteria criteria(Instant from, Instant to) throws LogCommandException {
        if (decision != null && !decision.matches("allow|deny|policy")) {
            throw new LogCommandException("--decision '" + decision + "': expected allow, deny or policy");
        }
        return new RecordSearch.Criteria(from, to, principal, model, decision, directive);
    }
}
