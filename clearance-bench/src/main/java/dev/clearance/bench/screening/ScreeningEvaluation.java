package dev.clearance.bench.screening;

import dev.clearance.bench.screening.LabelledQueries.LabelledQuery;
import dev.clearance.screening.ListImportException;
import dev.clearance.screening.ListImporter;
import dev.clearance.screening.ListVersion;
import dev.clearance.screening.ListedParty;
import dev.clearance.screening.ScreeningIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Evaluation harness for restricted-party screening (a load tool, not a unit test).
 *
 * <p>Generates labelled queries from the real list snapshots in {@code ../shared/data/screening}
 * (exact, reordered, typo, dropped middle name, diacritics, Cyrillic and Arabic round trips,
 * alias, legal-form variants, and names that are not listed), reports recall and false-positive
 * rate per variant at the threshold, scores the cross-script pairs, then measures latency
 * (p50/p99 on one thread), throughput on N threads and the time to re-screen M generated
 * principals. Exits 0 without doing anything when the snapshot folder is absent.
 *
 * <p>Usage: {@code ScreeningEvaluation [--data DIR] [--threshold 0.85] [--per-variant 1000]
 * [--threads 2] [--principals 1000000] [--seed 7] [--misses 0] [--stored-principals 0]}; with
 * {@code --stored-principals N} it also imports N generated principals into a temporary SQLite
 * store and times the re-screen a list change triggers, results written to the store.
 *
 * <p>The queries are {@link LabelledQueries} (with {@link SyntheticNames} for what is not listed);
 * {@link ScreeningAccuracy} reports how well they are found, {@link ScreeningSpeed} how fast.
 */
public final class ScreeningEvaluation {
    private ScreeningEvaluation() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> opt = options(args);
        Path data = Path.of(opt.getOrDefault("data", "../shared/data/screening"));
        if (!Files.isDirectory(data) || !Files.exists(data.resolve("sdn.csv"))) {
            System.out.println("screening evaluation skipped: snapshot folder " + data.toAbsolutePath()
                    + " is absent (it lives in ../shared/data/screening next to the repository)");
            return;
        }
        double threshold =
                Double.parseDouble(opt.getOrDefault("threshold", Double.toString(ScreeningIndex.DEFAULT_THRESHOLD)));
        int perVariant = Integer.parseInt(opt.getOrDefault("per-variant", "1000"));
        int threads = Integer.parseInt(opt.getOrDefault("threads", "2"));
        int principals = Integer.parseInt(opt.getOrDefault("principals", "1000000"));
        long seed = Long.parseLong(opt.getOrDefault("seed", "7"));
        int showMisses = Integer.parseInt(opt.getOrDefault("misses", "0"));
        int stored = Integer.parseInt(opt.getOrDefault("stored-principals", "0"));

        ListImporter importer = new ListImporter(Clock.systemUTC());
        long t0 = System.nanoTime();
        List<ListVersion> versions;
        try {
            versions = List.of(
                    importer.ofacSdn(data),
                    importer.csl(data.resolve("csl.csv")),
                    importer.bisDpl(data.resolve("dpl.txt")));
        } catch (ListImportException e) {
            System.err.println("import failed: " + e.getMessage());
            System.exit(1);
            return;
        }
        long t1 = System.nanoTime();
        ScreeningIndex index = ScreeningIndex.build(versions);
        long t2 = System.nanoTime();
        System.out.printf(
                Locale.ROOT,
                "lists: %s%n",
                versions.stream()
                        .map(v -> v.source().wireName() + "=" + v.parties().size() + " parties "
                                + v.contentHash().substring(0, 19) + "...")
                        .toList());
        System.out.printf(
                Locale.ROOT,
                "import %.0f ms, index %.0f ms, %d names and aliases%n",
                (t1 - t0) / 1e6,
                (t2 - t1) / 1e6,
                index.nameCount());

        List<ListedParty> all = new ArrayList<>();
        versions.forEach(v -> all.addAll(v.parties()));
        Random rnd = new Random(seed);
        List<LabelledQuery> queries = LabelledQueries.generate(all, rnd, perVariant);

        ScreeningAccuracy.report(index, queries, threshold, seed, showMisses);
        ScreeningAccuracy.crossScript(data, threshold);
        ScreeningSpeed.measure(index, queries, all, rnd, threshold, threads, principals);
        if (stored > 0) ScreeningSpeed.storedRescreen(versions, all, rnd, stored, threshold);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            m.put(args[i].substring(2), args[++i]);
        }
        return m;
    }
}
