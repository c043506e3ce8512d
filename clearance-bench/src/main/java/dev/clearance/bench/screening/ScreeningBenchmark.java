package dev.clearance.bench.screening;

import dev.clearance.screening.ListImporter;
import dev.clearance.screening.ListedParty;
import dev.clearance.screening.PartyType;
import dev.clearance.screening.ScreeningIndex;
import dev.clearance.screening.ScreeningMatch;
import dev.clearance.screening.ScreeningQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * One screening query against the full SDN + CSL + DPL snapshot in {@code ../shared/data/screening}
 * (set {@code -Dclearance.screening.data=DIR} elsewhere): listed names as written, with a typo,
 * and unlisted names, in a fixed shuffled mix. Sample time gives the latency percentiles; run
 * with {@code -t 2 -bm thrpt} for queries per second on two threads.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ScreeningBenchmark {
    private ScreeningIndex index;
    private List<ScreeningQuery> queries;

    @Setup(Level.Trial)
    public void load() throws Exception {
        Path data = Path.of(System.getProperty("clearance.screening.data", "../shared/data/screening"));
        if (!Files.exists(data.resolve("sdn.csv"))) {
            throw new IllegalStateException("ScreeningBenchmark needs the list snapshot at " + data.toAbsolutePath()
                    + " (../shared/data/screening); set -Dclearance.screening.data=DIR");
        }
        ListImporter importer = new ListImporter(Clock.systemUTC());
        var versions = List.of(
                importer.ofacSdn(data),
                importer.csl(data.resolve("csl.csv")),
                importer.bisDpl(data.resolve("dpl.txt")));
        index = ScreeningIndex.build(versions);
        List<ListedParty> parties = new ArrayList<>();
        versions.forEach(v -> parties.addAll(v.parties()));
        Random rnd = new Random(42);
        queries = new ArrayList<>();
        String[] given = {"James", "Maria", "Wei", "Olga", "Omar", "Priya", "Hans", "Amara", "Yuki", "Carlos"};
        String[] family = {
            "Smith", "Garcia", "Chen", "Volkova", "Haddad", "Sharma", "Mueller", "Okafor", "Tanaka", "Lopez"
        };
        for (int i = 0; i < 4096; i++) {
            ListedParty p = parties.get(rnd.nextInt(parties.size()));
            switch (i % 3) {
                case 0 -> queries.add(ScreeningQuery.ofName(p.name()));
                case 1 -> {
                    StringBuilder n = new StringBuilder(p.name());
                    int at = rnd.nextInt(n.length());
                    if (Character.isLetter(n.charAt(at))) n.setCharAt(at, (char) ('a' + rnd.nextInt(26)));
                    queries.add(ScreeningQuery.ofName(n.toString()));
                }
                default ->
                    queries.add(new ScreeningQuery(
                            given[rnd.nextInt(given.length)] + " " + family[rnd.nextInt(family.length)],
                            PartyType.PERSON,
                            "",
                            ""));
            }
        }
    }

    /** Per-thread position in the query mix. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;
    }

    @Benchmark
    public List<ScreeningMatch> screenWithExplanations(Cursor cursor) {
        ScreeningQuery q = queries.get(cursor.next++ & 4095);
        return index.screen(q, ScreeningIndex.DEFAULT_THRESHOLD, 0.5, ScreeningIndex.DEFAULT_LIMIT);
    }

    @Benchmark
    public double bestScore(Cursor cursor) {
        return index.bestScore(queries.get(cursor.next++ & 4095));
    }
}
