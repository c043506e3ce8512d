package dev.clearance.cli.log;

import dev.clearance.log.LogView;
import dev.clearance.log.search.SearchIndex;
import dev.clearance.record.RecordSearch;
import dev.clearance.record.RecordSummarizer;
import dev.clearance.store.FleetNode;
import dev.clearance.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
        name = "search",
        mixinStandardHelpOptions = true,
        description =
                "Find entries through the index beside the log. Prints '<index><TAB><entry>' per match, oldest first."
                        + " With --fleet: in every node log of the configured store readable here, printing"
                        + " '<node><TAB><index><TAB><entry>' in time order.")
final class LogSearchCommand extends LogSubcommand {
    @Option(names = "--from", paramLabel = "TIME", description = "Inclusive.")
    String from;

    @Option(names = "--to", paramLabel = "TIME", description = "Exclusive.")
    String to;

    @Mixin
    EntryFilters filters;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "1000",
            description = "At most N matches (default ${DEFAULT-VALUE}).")
    int limit;

    @Mixin
    FleetLogs fleetLogs;

    @Override
    int run(PrintWriter out) throws LogCommandException, IOException {
        if (limit < 1) {
            throw new LogCommandException("--limit must be at least 1");
        }
        RecordSearch.Criteria c =
                filters.criteria(from == null ? null : time("--from", from), to == null ? null : time("--to", to));
        if (fleetLogs.fleet) {
            return fleet(out, c);
        }
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

    /** A match in one node's log. */
    private record NodeHit(String node, long index, byte[] entry, Instant time) {}

    private int fleet(PrintWriter out, RecordSearch.Criteria c) throws LogCommandException, IOException {
        List<NodeHit> hits = new ArrayList<>();
        try (Store store = location.store()) {
            for (FleetNode node : store.fleet().nodes()) {
                Path dir = FleetAudit.logDirectory(node, fleetLogs.logs.get(node.node()));
                if (dir == null || !Files.isDirectory(dir)) {
                    spec.commandLine()
                            .getErr()
                            .println("note: " + node.node() + ": its log is not readable here"
                                    + (dir == null ? "" : " (" + dir + ")") + "; give --log " + node.node() + "=DIR");
                    continue;
                }
                try (LogView view = LogView.openReadOnly(dir)) {
                    for (SearchIndex.Hit h : RecordSearch.search(view, dir, c, limit)) {
                        hits.add(new NodeHit(
                                node.node(),
                                h.index(),
                                h.entry(),
                                RecordSummarizer.INSTANCE.summarize(h.entry()).time()));
                    }
                }
            }
        }
        hits.sort(
                Comparator.comparing(NodeHit::time).thenComparing(NodeHit::node).thenComparingLong(NodeHit::index));
        for (NodeHit h : hits.subList(0, Math.min(limit, hits.size()))) {
            out.print(h.node());
            out.print('\t');
            out.print(h.index());
            out.print('\t');
            out.println(new String(h.entry(), StandardCharsets.UTF_8));
        }
        return 0;
    }
}
