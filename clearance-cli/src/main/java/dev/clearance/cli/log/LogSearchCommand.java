package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import dev.clearance.log.search.SearchIndex;
import dev.clearance.record.RecordSearch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description =
                "Find entries through the index beside the log. Prints '<index><TAB><entry>' per match, oldest first.")
final class LogSearchCommand extends LogSubcommand {
    @Option(names = "--principal", paramLabel = "ID")
    String principal;

    @Option(names = "--model", paramLabel = "M")
    String model;

    @Option(names = "--from", paramLabel = "TIME", description = "Inclusive.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Exclusive.")
    String to;

    @Option(names = "--decision", paramLabel = "OUTCOME", description = "allow, deny or policy (policy changes).")
    String decision;

    @Option(
            names = "--directive",
            paramLabel = "ID",
            description = "Entries naming this directive: determining or shadow directive of a decision, or a"
                    + " version a policy change names.")
    String directive;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "At most N matches (default ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        if (decision != null && !decision.matches("allow|deny|policy")) {
            throw new LogCommandException("--decision '" + decision + "': expected allow, deny or policy");
        }
        if (limit < 1) {
            throw new LogCommandException("--limit must be at least 1");
        }
        RecordSearch.Criteria c = new RecordSearch.Criteria(
                from == null ? null : time("--from", from),
                to == null ? null : time("--to", to),
                principal,
                model,
                decision,
                directive);
        Path dir = location.logDir();
        try (LogView view = LogView.openReadOnly(dir)) {
            for (SearchIndex.Hit h : RecordSearch.search(view, dir, c, limit)) {
                out.print(h.index());
                out.print('\t');
                out.println(new String(h.entry(), StandardCharsets.UTF_8));
            }
            return 0;
        }
    }
}
