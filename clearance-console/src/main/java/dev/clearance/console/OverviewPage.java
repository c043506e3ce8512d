package dev.clearance.console;

import dev.clearance.core.Directive;
import dev.clearance.screening.ScreeningRegistry;
import dev.clearance.simulate.SvgCharts;
import dev.clearance.store.FleetView;
import dev.clearance.store.PolicyVersion;
import dev.clearance.store.StoredPolicy;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's home: the policy in force and its directives, the last hour of decisions from the
 * decision log (by result and by directive, shadow hits included), streams open on this node, the
 * screening matches waiting for a reviewer, and the fleet: every node registered in the store with
 * the policy version it enforces and when it was last seen.
 */
final class OverviewPage {
    static final SvgCharts RESULTS =
            new SvgCharts(List.of("#2f6fd6", "#d62f2f", "#6b7686"), List.of("allowed", "denied", "policy changes"));
    static final SvgCharts BY_DIRECTIVE =
            new SvgCharts(List.of("#d62f2f", "#b26b00"), List.of("denied", "shadow hits (would deny)"));
    private static final int PENDING_SHOWN = 10;

    private final Pages pages;
    private final Console.Sources sources;
    private final LogReader log;
    private final Clock clock;

    OverviewPage(Pages pages, Console.Sources sources, LogReader log, Clock clock) {
        this.pages = pages;
        this.sources = sources;
        this.log = log;
        this.clock = clock;
    }

    /** The policy version in force; {@code shortHash} is its first 12 hex digits. */
    record PolicyView(
            long number, String hash, String shortHash, Instant activatedAt, String activatedBy, String reason) {
        static PolicyView of(PolicyVersion v) {
            String hex = v.contentHash().startsWith("sha256:") ? v.contentHash().substring(7) : v.contentHash();
            return new PolicyView(
                    v.number(),
                    v.contentHash(),
                    hex.substring(0, Math.min(12, hex.length())),
                    v.activatedAt(),
                    v.activatedBy(),
                    v.reason());
        }
    }

    /** A directive of the policy in force, as the overview lists it. */
    record DirectiveRow(
            String id,
            String title,
            String authority,
            String mode,
            String from,
            String until,
            String models,
            String capabilities,
            boolean inForceNow) {
        static DirectiveRow of(Directive d, Instant now) {
            return new DirectiveRow(
                    d.id(),
                    d.title(),
                    d.authority(),
                    d.mode().wireName(),
                    d.effectiveFrom().toString(),
                    d.effectiveUntil() == null
                            ? "open-ended"
                            : d.effectiveUntil().toString(),
                    String.join(", ", d.models()),
                    String.join(", ", d.capabilities()),
                    d.activeAt(now));
        }
    }

    record OverviewView(
            Page page,
            Optional<PolicyView> policy,
            List<DirectiveRow> directives,
            LogReader.Counts lastHour,
            String resultsChart,
            String directivesChart,
            int openStreams,
            List<ScreeningRegistry.PendingMatch> pending,
            boolean morePending,
            Optional<LogReader.CheckpointView> checkpoint,
            FleetView fleet) {}

    void show(ServerRequest req, ServerResponse res) {
        Instant now = clock.instant();
        Optional<StoredPolicy> active = StoredPolicy.active(sources.store());
        List<DirectiveRow> rows = active.map(a -> a.directives().stream()
                        .map(d -> DirectiveRow.of(d, now))
                        .toList())
                .orElse(List.of());
        LogReader.Counts hour = log.count(now.minus(Duration.ofHours(1)), now);
        List<ScreeningRegistry.PendingMatch> pending = sources.screening().pending(PENDING_SHOWN + 1);
        pages.send(
                res,
                "overview.jte",
                new OverviewView(
                        new Page("Overview", "overview", Console.visitor(req)),
                        active.map(a -> PolicyView.of(a.version())),
                        rows,
                        hour,
                        RESULTS.stackedBars(
                                "decisions-by-result",
                                "Decisions in the last hour by result",
                                List.of(
                                        new SvgCharts.Row("allowed", new long[] {hour.allow(), 0, 0}),
                                        new SvgCharts.Row("denied", new long[] {0, hour.deny(), 0}),
                                        new SvgCharts.Row("policy changes", new long[] {0, 0, hour.policy()})),
                                -1),
                        BY_DIRECTIVE.stackedBars(
                                "decisions-by-directive",
                                "Denials and shadow hits in the last hour by directive",
                                byDirective(hour),
                                -1),
                        sources.openStreams().getAsInt(),
                        pending.subList(0, Math.min(PENDING_SHOWN, pending.size())),
                        pending.size() > PENDING_SHOWN,
                        log.checkpoint(),
                        // The default thresholds: the console does not read the gateway's fleet settings.
                        FleetView.read(sources.store(), now, FleetView.Thresholds.DEFAULT)));
    }

    private static List<SvgCharts.Row> byDirective(LogReader.Counts c) {
        Map<String, long[]> m = new java.util.TreeMap<>();
        c.deniedBy().forEach((d, n) -> m.computeIfAbsent(d, k -> new long[2])[0] += n);
        c.shadowBy().forEach((d, n) -> m.computeIfAbsent(d, k -> new long[2])[1] += n);
        List<SvgCharts.Row> rows = new ArrayList<>();
        m.forEach((d, v) -> rows.add(new SvgCharts.Row(d, v)));
        rows.sort((a, b) -> Long.compare(b.total(), a.total()));
        return rows;
    }
}
