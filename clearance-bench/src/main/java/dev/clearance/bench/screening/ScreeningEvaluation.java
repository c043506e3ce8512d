package dev.clearance.bench.screening;

import com.ibm.icu.text.Transliterator;
import dev.clearance.core.Principal;
import dev.clearance.screening.ListImportException;
import dev.clearance.screening.ListImporter;
import dev.clearance.screening.ListVersion;
import dev.clearance.screening.ListedParty;
import dev.clearance.screening.NameNormalizer;
import dev.clearance.screening.PartyType;
import dev.clearance.screening.ScreeningIndex;
import dev.clearance.screening.ScreeningMatch;
import dev.clearance.screening.ScreeningQuery;
import dev.clearance.screening.ScreeningRegistry;
import dev.clearance.store.Store;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

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
 */
public final class ScreeningEvaluation {
    private static final List<String> LEGAL_FORMS = List.of(
            "Ltd.",
            "LLC",
            "Co.",
            "S.A.",
            "GmbH",
            "JSC",
            "OOO",
            "Limited",
            "Corporation",
            "Inc.",
            "Co., Ltd.",
            "Company Limited",
            "PJSC",
            "LLP",
            "FZE");
    private static final List<String> GIVEN = List.of(
            "James",
            "Mary",
            "Robert",
            "Patricia",
            "Michael",
            "Jennifer",
            "William",
            "Linda",
            "David",
            "Elizabeth",
            "Thomas",
            "Susan",
            "Daniel",
            "Jessica",
            "Matthew",
            "Sarah",
            "Carlos",
            "Maria",
            "Jose",
            "Lucia",
            "Juan",
            "Sofia",
            "Pedro",
            "Camila",
            "Hans",
            "Greta",
            "Lukas",
            "Anna",
            "Pierre",
            "Camille",
            "Luca",
            "Giulia",
            "Sven",
            "Ingrid",
            "Piotr",
            "Agnieszka",
            "Olga",
            "Dmitri",
            "Irina",
            "Sergei",
            "Natalia",
            "Yusuf",
            "Fatima",
            "Omar",
            "Aisha",
            "Hamid",
            "Leila",
            "Wei",
            "Fang",
            "Jun",
            "Mei",
            "Hiroshi",
            "Yuki",
            "Kenji",
            "Sakura",
            "Min-jun",
            "Seo-yeon",
            "Arjun",
            "Priya",
            "Rahul",
            "Ananya",
            "Kwame",
            "Amara",
            "Chinedu",
            "Ngozi",
            "Tariq",
            "Zainab",
            "Emre",
            "Elif",
            "Mehmet",
            "Ayse");
    private static final List<String> FAMILY = List.of(
            "Smith",
            "Johnson",
            "Williams",
            "Brown",
            "Jones",
            "Miller",
            "Davis",
            "Wilson",
            "Anderson",
            "Taylor",
            "Thomas",
            "Moore",
            "Martin",
            "Thompson",
            "White",
            "Harris",
            "Garcia",
            "Martinez",
            "Rodriguez",
            "Lopez",
            "Gonzalez",
            "Perez",
            "Sanchez",
            "Ramirez",
            "Mueller",
            "Schmidt",
            "Schneider",
            "Fischer",
            "Weber",
            "Dubois",
            "Laurent",
            "Rossi",
            "Bianchi",
            "Johansson",
            "Nilsson",
            "Kowalski",
            "Nowak",
            "Wisniewski",
            "Sokolova",
            "Volkova",
            "Smirnov",
            "Popov",
            "Lebedev",
            "Novak",
            "Yilmaz",
            "Demir",
            "Kaya",
            "Wang",
            "Zhang",
            "Chen",
            "Liu",
            "Yang",
            "Huang",
            "Tanaka",
            "Suzuki",
            "Takahashi",
            "Watanabe",
            "Kim",
            "Park",
            "Choi",
            "Sharma",
            "Patel",
            "Gupta",
            "Singh",
            "Okafor",
            "Mensah",
            "Adeyemi",
            "Haddad",
            "Nasser",
            "Farouk",
            "Mansour",
            "Khalil",
            "Saleh");
    private static final List<String> ORG_WORDS = List.of(
            "Global",
            "Northern",
            "Pacific",
            "Atlantic",
            "Summit",
            "Bright",
            "Silver",
            "Green",
            "Blue",
            "United",
            "Pioneer",
            "Vertex",
            "Horizon",
            "Delta",
            "Crest",
            "Harbor",
            "Maple",
            "Cedar",
            "Granite",
            "Solar",
            "Quantum",
            "Apex",
            "Nova",
            "Orbit",
            "Prime",
            "Sterling");
    private static final List<String> ORG_KINDS = List.of(
            "Logistics",
            "Software",
            "Foods",
            "Textiles",
            "Consulting",
            "Analytics",
            "Robotics",
            "Pharma",
            "Media",
            "Ventures",
            "Instruments",
            "Foundry",
            "Studios",
            "Labs");

    private record Labelled(String variant, String query, PartyType kind, String targetKey) {}

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
        Set<String> listedTokenSets = new HashSet<>();
        List<Set<String>> listedNames = new ArrayList<>();
        for (ListedParty p : all) {
            for (String n : names(p))
                listedNames.add(skeletons(NameNormalizer.normalize(n, p.type()).tokens()));
        }
        Random rnd = new Random(seed);
        List<Labelled> queries = generate(all, listedNames, rnd, perVariant);

        // Recall and false positives per variant.
        Map<String, int[]> counts = new LinkedHashMap<>(); // variant -> {total, hits}
        List<String> misses = new ArrayList<>();
        Map<String, Integer> missesPer = new HashMap<>();
        List<Double> positiveScores = new ArrayList<>();
        List<Double> negativeScores = new ArrayList<>();
        for (Labelled q : queries) {
            List<ScreeningMatch> ms = index.screen(new ScreeningQuery(q.query(), q.kind(), "", ""), threshold, 0.5, 10);
            int[] c = counts.computeIfAbsent(q.variant(), k -> new int[2]);
            c[0]++;
            boolean hit;
            if (q.targetKey() == null) {
                hit = ms.stream().anyMatch(ScreeningMatch::match);
            } else {
                hit = ms.stream().anyMatch(m -> m.match() && key(m.party()).equals(q.targetKey()));
            }
            if (hit) c[1]++;
            double sc = 0;
            for (ScreeningMatch m : ms) {
                if (q.targetKey() == null || key(m.party()).equals(q.targetKey())) sc = Math.max(sc, m.score());
            }
            (q.targetKey() == null ? negativeScores : positiveScores).add(sc);
            if ((q.targetKey() == null) == hit && missesPer.merge(q.variant(), 1, Integer::sum) <= showMisses) {
                misses.add(q.variant() + " | " + q.query() + " | target " + q.targetKey() + " | "
                        + (ms.isEmpty()
                                ? "no candidates"
                                : key(ms.get(0).party())
                                        + String.format(
                                                Locale.ROOT, " %.3f ", ms.get(0).score())
                                        + ms.get(0).explanation()));
            }
        }
        System.out.printf(
                Locale.ROOT, "%nthreshold %.2f, seed %d, %d labelled queries%n", threshold, seed, queries.size());
        System.out.printf(Locale.ROOT, "%-22s %7s %9s%n", "variant", "queries", "rate");
        int listedTotal = 0;
        int listedHits = 0;
        for (Map.Entry<String, int[]> e : counts.entrySet()) {
            boolean negative = e.getKey().startsWith("not-listed");
            int[] c = e.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "%-22s %7d %8.4f %s%n",
                    e.getKey(),
                    c[0],
                    (double) c[1] / c[0],
                    negative ? "false-positive rate" : "recall");
            if (!negative) {
                listedTotal += c[0];
                listedHits += c[1];
            }
        }
        int negTotal = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith("not-listed"))
                .mapToInt(e -> e.getValue()[0])
                .sum();
        int negHits = counts.entrySet().stream()
                .filter(e -> e.getKey().startsWith("not-listed"))
                .mapToInt(e -> e.getValue()[1])
                .sum();
        System.out.printf(
                Locale.ROOT,
                "%-22s %7d %8.4f recall%n",
                "ALL listed variants",
                listedTotal,
                (double) listedHits / listedTotal);
        System.out.printf(
                Locale.ROOT,
                "%-22s %7d %8.4f false-positive rate%n",
                "ALL not-listed",
                negTotal,
                (double) negHits / negTotal);
        System.out.println("threshold sweep (all listed variants / all not-listed):");
        for (double th = 0.80; th <= 0.951; th += 0.01) {
            double t = th;
            long tp = positiveScores.stream().filter(x -> x >= t).count();
            long fp = negativeScores.stream().filter(x -> x >= t).count();
            System.out.printf(
                    Locale.ROOT,
                    "  %.2f recall %.4f fpr %.4f%n",
                    th,
                    (double) tp / positiveScores.size(),
                    (double) fp / negativeScores.size());
        }
        for (String m : misses) System.out.println("  miss: " + m);

        crossScript(data, threshold);

        // Latency on one thread over the labelled mix (after a warm-up pass).
        List<ScreeningQuery> mix = queries.stream()
                .map(q -> new ScreeningQuery(q.query(), q.kind(), "", ""))
                .toList();
        for (int r = 0; r < 3; r++) for (ScreeningQuery q : mix) index.screen(q, threshold, 0.5, 10);
        // Wall time includes time the thread waits for a core on a shared machine; thread CPU time
        // is the work the query itself costs. Both are reported.
        ThreadMXBean threadBean = ManagementFactory.getThreadMXBean();
        long[] lat = new long[mix.size()];
        long[] cpu = new long[mix.size()];
        for (int i = 0; i < mix.size(); i++) {
            long c = threadBean.getCurrentThreadCpuTime();
            long s = System.nanoTime();
            index.screen(mix.get(i), threshold, 0.5, 10);
            lat[i] = System.nanoTime() - s;
            cpu[i] = threadBean.getCurrentThreadCpuTime() - c;
        }
        Arrays.sort(lat);
        Arrays.sort(cpu);
        System.out.printf(
                Locale.ROOT,
                "%nmachine: %d cores, load average %.1f%n",
                Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf(
                Locale.ROOT,
                "latency, 1 thread, %d queries with explanations: wall p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                lat.length,
                lat[lat.length / 2] / 1e6,
                lat[(int) (lat.length * 0.99)] / 1e6,
                lat[(int) (lat.length * 0.999)] / 1e6,
                lat[lat.length - 1] / 1e6);
        System.out.printf(
                Locale.ROOT,
                "                                      thread CPU p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms, max %.3f ms%n",
                cpu[cpu.length / 2] / 1e6,
                cpu[(int) (cpu.length * 0.99)] / 1e6,
                cpu[(int) (cpu.length * 0.999)] / 1e6,
                cpu[cpu.length - 1] / 1e6);

        // Throughput on N threads for ~10 s.
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        AtomicLong done = new AtomicLong();
        AtomicLong cpuNanos = new AtomicLong();
        long end = System.nanoTime() + 10_000_000_000L;
        long ts = System.nanoTime();
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int offset = t * 997;
            fs.add(pool.submit(() -> {
                long c0 = threadBean.getCurrentThreadCpuTime();
                int i = offset;
                while (System.nanoTime() < end) {
                    for (int k = 0; k < 256; k++) {
                        index.screen(mix.get(i++ % mix.size()), threshold, 0.5, 10);
                    }
                    done.addAndGet(256);
                }
                cpuNanos.addAndGet(threadBean.getCurrentThreadCpuTime() - c0);
            }));
        }
        for (Future<?> f : fs) f.get();
        double secs = (System.nanoTime() - ts) / 1e9;
        System.out.printf(
                Locale.ROOT,
                "throughput, %d threads: %.0f queries/s wall (%d queries in %.1f s); %.0f queries per CPU-second"
                        + " (= %.0f queries/s if the %d threads had %d cores to themselves)%n",
                threads,
                done.get() / secs,
                done.get(),
                secs,
                done.get() / (cpuNanos.get() / 1e9),
                threads * done.get() / (cpuNanos.get() / 1e9),
                threads,
                threads);

        // Re-screening generated principals on N threads.
        if (principals > 0) {
            List<String> pool2 = principalNames(all, rnd, 200_000);
            long rs = System.nanoTime();
            AtomicLong matched = new AtomicLong();
            AtomicLong rescreenCpu = new AtomicLong();
            List<Future<?>> jobs = new ArrayList<>();
            int chunk = (principals + threads - 1) / threads;
            for (int t = 0; t < threads; t++) {
                int from = t * chunk;
                int to = Math.min(principals, from + chunk);
                jobs.add(pool.submit(() -> {
                    long c0 = threadBean.getCurrentThreadCpuTime();
                    for (int i = from; i < to; i++) {
                        if (index.bestScore(ScreeningQuery.ofName(pool2.get(i % pool2.size()) + suffix(i)))
                                >= threshold) matched.incrementAndGet();
                    }
                    rescreenCpu.addAndGet(threadBean.getCurrentThreadCpuTime() - c0);
                }));
            }
            for (Future<?> f : jobs) f.get();
            double rsecs = (System.nanoTime() - rs) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "re-screen %d generated principals on %d threads: %.1f s wall (%.0f principals/s), %.1f CPU-seconds"
                            + " (= %.1f s on %d free cores), %d at or above threshold%n",
                    principals,
                    threads,
                    rsecs,
                    principals / rsecs,
                    rescreenCpu.get() / 1e9,
                    rescreenCpu.get() / 1e9 / threads,
                    threads,
                    matched.get());
            System.out.printf(
                    Locale.ROOT,
                    "machine load average at the end: %.1f%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
        pool.shutdown();

        if (stored > 0) storedRescreen(versions, all, rnd, stored, threshold);
    }

    /**
     * The store-backed path: import generated principals into a fresh SQLite store, then activate
     * the lists, which screens every stored principal and writes every result.
     */
    private static void storedRescreen(
            List<ListVersion> versions, List<ListedParty> all, Random rnd, int n, double threshold) throws IOException {
        Path dir = Files.createTempDirectory("clearance-screening-eval");
        List<String> names = principalNames(all, rnd, 200_000);
        try (Store store = Store.open("jdbc:sqlite:" + dir.resolve("clearance.db"))) {
            ScreeningRegistry registry = new ScreeningRegistry(store, Clock.systemUTC(), threshold);
            for (ListVersion v : versions) registry.activate(v, "eval");
            long t0 = System.nanoTime();
            store.principals()
                    .importAll(
                            sink -> {
                                for (int i = 0; i < n; i++) {
                                    sink.accept(Principal.builder("p" + i)
                                            .name(names.get(i % names.size()) + suffix(i))
                                            .build());
                                }
                            },
                            "eval");
            long t1 = System.nanoTime();
            int screened = registry.followChanges();
            long t2 = System.nanoTime();
            // A list change: the SDN version without its last entry (labelled as another version).
            ListVersion sdn = versions.get(0);
            ListVersion changed = new ListVersion(
                    sdn.source(),
                    sdn.origin(),
                    sdn.importedAt(),
                    sdn.contentHash() + "-minus-one",
                    sdn.parties().subList(0, sdn.parties().size() - 1));
            ScreeningRegistry.Activation a = registry.activate(changed, "eval");
            long t3 = System.nanoTime();
            System.out.printf(
                    Locale.ROOT,
                    "%nstored principals (SQLite in %s): import %d in %.1f s; screening the imported"
                            + " principals (change feed) %d in %.1f s; a list change re-screened and stored %d in %.1f s wall"
                            + " (load average %.1f)%n",
                    dir,
                    n,
                    (t1 - t0) / 1e9,
                    screened,
                    (t2 - t1) / 1e9,
                    a.rescreened(),
                    (t3 - t2) / 1e9,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder())
                        .forEach(f -> f.toFile().delete());
            }
        }
    }

    /** Makes most of the million principals distinct: a generated middle initial or number-free variation. */
    private static String suffix(int i) {
        int r = i / 200_000;
        return r == 0 ? "" : " " + (char) ('a' + (r % 26));
    }

    private static void crossScript(Path data, double threshold) throws IOException {
        Path file = data.resolve("cross_script_pairs.csv");
        if (!Files.exists(file)) return;
        System.out.printf(
                Locale.ROOT,
                "%ncross-script pairs (%s): score of the query against the expected name alone%n",
                file.getFileName());
        int total = 0;
        int reachedMin = 0;
        int reachedThreshold = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split(",", 4);
            double min = Double.parseDouble(f[2]);
            ListVersion one = new ListVersion(
                    dev.clearance.screening.ListSource.CSL,
                    "pair",
                    java.time.Instant.EPOCH,
                    "-",
                    List.of(new ListedParty(
                            "X", "1", PartyType.PERSON, f[1], List.of(), List.of(), List.of(), List.of())));
            double s = ScreeningIndex.build(List.of(one)).bestScore(ScreeningQuery.ofName(f[0]));
            total++;
            if (s >= min) reachedMin++;
            if (s >= threshold) reachedThreshold++;
            System.out.printf(
                    Locale.ROOT,
                    "  %-18s %-18s min %.2f score %.3f %s  (%s)%n",
                    f[0],
                    f[1],
                    min,
                    s,
                    s >= min ? "ok  " : "BELOW",
                    f[3]);
        }
        System.out.printf(
                Locale.ROOT,
                "  %d/%d reach their minimum, %d/%d reach the threshold%n",
                reachedMin,
                total,
                reachedThreshold,
                total);
    }

    private static List<Labelled> generate(List<ListedParty> all, List<Set<String>> listedNames, Random rnd, int n) {
        List<Labelled> out = new ArrayList<>();
        List<ListedParty> persons =
                all.stream().filter(p -> p.type() == PartyType.PERSON).toList();
        List<ListedParty> orgs =
                all.stream().filter(p -> p.type() == PartyType.ORGANIZATION).toList();
        List<ListedParty> withAlias =
                all.stream().filter(p -> !p.aliases().isEmpty()).toList();
        List<ListedParty> longPersons =
                persons.stream().filter(p -> natural(p).split(" ").length >= 3).toList();
        Transliterator toCyrillic = Transliterator.getInstance("Latin-Cyrillic");
        Transliterator toArabic = Transliterator.getInstance("Latin-Arabic");

        for (int i = 0; i < n; i++) {
            ListedParty p = all.get(rnd.nextInt(all.size()));
            out.add(new Labelled("exact", p.name(), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = persons.get(rnd.nextInt(persons.size()));
            out.add(new Labelled("reordered", natural(p), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = all.get(rnd.nextInt(all.size()));
            String t = typo(natural(p), rnd);
            if (t != null) out.add(new Labelled("typo", t, PartyType.UNKNOWN, key(p)));
            else i--;
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = longPersons.get(rnd.nextInt(longPersons.size()));
            List<String> w = new ArrayList<>(List.of(natural(p).split(" ")));
            w.remove(1 + rnd.nextInt(w.size() - 2));
            out.add(new Labelled("dropped-middle", String.join(" ", w), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = all.get(rnd.nextInt(all.size()));
            out.add(new Labelled("diacritics", diacritics(natural(p), rnd), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = persons.get(rnd.nextInt(persons.size()));
            out.add(new Labelled("cyrillic", cyrillic(natural(p), toCyrillic), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = persons.get(rnd.nextInt(persons.size()));
            // Arabic is written without short vowels: strip the harakat ICU adds.
            String ar =
                    toArabic.transliterate(natural(p).toLowerCase(Locale.ROOT)).replaceAll("[\\u064B-\\u0652]", "");
            out.add(new Labelled("arabic", ar, PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = withAlias.get(rnd.nextInt(withAlias.size()));
            out.add(new Labelled(
                    "alias", p.aliases().get(rnd.nextInt(p.aliases().size())), PartyType.UNKNOWN, key(p)));
        }
        for (int i = 0; i < n; i++) {
            ListedParty p = orgs.get(rnd.nextInt(orgs.size()));
            NameNormalizer.Normalized norm = NameNormalizer.normalize(p.name(), PartyType.ORGANIZATION);
            if (norm.legalForms().isEmpty() && rnd.nextBoolean()) {
                i--;
                continue; // favour names that carry a legal form to replace
            }
            List<String> kept =
                    norm.tokens().stream().map(t -> t.toUpperCase(Locale.ROOT)).toList();
            String form = LEGAL_FORMS.get(rnd.nextInt(LEGAL_FORMS.size()));
            String q = rnd.nextInt(4) == 0 ? form + " " + String.join(" ", kept) : String.join(" ", kept) + " " + form;
            out.add(new Labelled("legal-suffix", q, PartyType.UNKNOWN, key(p)));
        }
        // Not listed: given name of one listed person with the family name of another, ...
        int made = 0;
        while (made < n) {
            String[] a = natural(persons.get(rnd.nextInt(persons.size()))).split(" ");
            String[] b = natural(persons.get(rnd.nextInt(persons.size()))).split(" ");
            String q = a[0] + " " + b[b.length - 1];
            if (unlisted(q, PartyType.PERSON, listedNames)) {
                out.add(new Labelled("not-listed-recombined", q, PartyType.UNKNOWN, null));
                made++;
            }
        }
        // ... common names from many cultures ...
        made = 0;
        while (made < n) {
            String q = GIVEN.get(rnd.nextInt(GIVEN.size()))
                    + (rnd.nextInt(3) == 0 ? " " + GIVEN.get(rnd.nextInt(GIVEN.size())) : "") + " "
                    + FAMILY.get(rnd.nextInt(FAMILY.size()));
            if (unlisted(q, PartyType.PERSON, listedNames)) {
                out.add(new Labelled("not-listed-common", q, PartyType.UNKNOWN, null));
                made++;
            }
        }
        // ... and companies.
        made = 0;
        while (made < n) {
            String q = ORG_WORDS.get(rnd.nextInt(ORG_WORDS.size())) + " " + ORG_KINDS.get(rnd.nextInt(ORG_KINDS.size()))
                    + " " + LEGAL_FORMS.get(rnd.nextInt(LEGAL_FORMS.size()));
            if (rnd.nextBoolean()) {
                ListedParty o = orgs.get(rnd.nextInt(orgs.size()));
                String[] w = o.name().split(" ");
                q = w[0] + " " + ORG_KINDS.get(rnd.nextInt(ORG_KINDS.size())) + " "
                        + LEGAL_FORMS.get(rnd.nextInt(LEGAL_FORMS.size()));
            }
            if (unlisted(q, PartyType.ORGANIZATION, listedNames)) {
                out.add(new Labelled("not-listed-company", q, PartyType.UNKNOWN, null));
                made++;
            }
        }
        return out;
    }

    /**
     * Not listed: no listed name or alias contains every token of the query. (A name all of whose
     * words appear in one listed name is a potential match a reviewer should see.)
     */
    private static boolean unlisted(String q, PartyType type, List<Set<String>> listedNames) {
        Set<String> tokens = skeletons(NameNormalizer.normalize(q, type).tokens());
        for (Set<String> l : listedNames) {
            if (l.containsAll(tokens)) return false;
        }
        return true;
    }

    /** Tokens without vowels and doubled letters: Mohammad and Muhammad count as one name here. */
    private static Set<String> skeletons(List<String> tokens) {
        Set<String> out = new HashSet<>();
        for (String t : tokens) {
            String s = t.replaceAll("[aeiouyw]", "").replaceAll("(.)\\1+", "$1");
            out.add(s.isEmpty() ? t : s);
        }
        return out;
    }

    private static List<String> principalNames(List<ListedParty> all, Random rnd, int n) {
        List<String> out = new ArrayList<>(n);
        List<String> given = new ArrayList<>(GIVEN);
        List<String> family = new ArrayList<>(FAMILY);
        for (ListedParty p : all) {
            if (p.type() != PartyType.PERSON) continue;
            String[] w = natural(p).split(" ");
            given.add(w[0]);
            family.add(w[w.length - 1]);
        }
        for (int i = 0; i < n; i++) {
            int kind = rnd.nextInt(100);
            if (kind < 1) {
                out.add(natural(all.get(rnd.nextInt(all.size())))); // about 1% are listed parties
            } else if (kind < 80) {
                out.add(given.get(rnd.nextInt(given.size())) + " " + family.get(rnd.nextInt(family.size())));
            } else {
                out.add(ORG_WORDS.get(rnd.nextInt(ORG_WORDS.size())) + " "
                        + ORG_KINDS.get(rnd.nextInt(ORG_KINDS.size())) + " "
                        + LEGAL_FORMS.get(rnd.nextInt(LEGAL_FORMS.size())));
            }
        }
        return out;
    }

    private static List<String> names(ListedParty p) {
        List<String> l = new ArrayList<>();
        l.add(p.name());
        l.addAll(p.aliases());
        return l;
    }

    private static String key(ListedParty p) {
        return p.list() + ":" + p.entityId();
    }

    /** "LAST, First Middle" as "First Middle Last"; other names as written. */
    private static String natural(ListedParty p) {
        String n = p.name().trim();
        int c = n.indexOf(',');
        if (p.type() == PartyType.PERSON && c > 0 && n.indexOf(',', c + 1) < 0) {
            String last = n.substring(0, c).trim();
            last = last.charAt(0) + last.substring(1).toLowerCase(Locale.ROOT);
            n = n.substring(c + 1).trim() + " " + last;
        }
        return n.replaceAll("\\s+", " ");
    }

    private static String typo(String name, Random rnd) {
        String[] w = name.split(" ");
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < w.length; i++)
            if (w[i].length() >= 4 && w[i].chars().allMatch(Character::isLetter)) candidates.add(i);
        if (candidates.isEmpty()) return null;
        int i = candidates.get(rnd.nextInt(candidates.size()));
        StringBuilder t = new StringBuilder(w[i]);
        int at = 1 + rnd.nextInt(t.length() - 1);
        char letter = (char) ('a' + rnd.nextInt(26));
        if (Character.isUpperCase(t.charAt(at))) letter = Character.toUpperCase(letter);
        switch (rnd.nextInt(4)) {
            case 0 -> t.setCharAt(at, letter);
            case 1 -> t.deleteCharAt(at);
            case 2 -> t.insert(at, letter);
            default -> {
                if (at + 1 < t.length()) {
                    char c = t.charAt(at);
                    t.setCharAt(at, t.charAt(at + 1));
                    t.setCharAt(at + 1, c);
                } else {
                    t.setCharAt(at, letter);
                }
            }
        }
        w[i] = t.toString();
        return String.join(" ", w);
    }

    private static String diacritics(String name, Random rnd) {
        Map<Character, char[]> marks = new HashMap<>();
        marks.put('a', new char[] {'á', 'à', 'ä', 'â', 'ã'});
        marks.put('e', new char[] {'é', 'è', 'ë', 'ê'});
        marks.put('i', new char[] {'í', 'ï', 'î'});
        marks.put('o', new char[] {'ó', 'ö', 'ô', 'ø'});
        marks.put('u', new char[] {'ú', 'ü', 'û'});
        marks.put('c', new char[] {'ç', 'č'});
        marks.put('n', new char[] {'ñ'});
        marks.put('s', new char[] {'ş', 'š'});
        marks.put('z', new char[] {'ž'});
        StringBuilder sb = new StringBuilder(name);
        int changed = 0;
        for (int tries = 0; tries < 40 && changed < 3; tries++) {
            int at = rnd.nextInt(sb.length());
            char c = sb.charAt(at);
            char[] m = marks.get(Character.toLowerCase(c));
            if (m == null) continue;
            char r = m[rnd.nextInt(m.length)];
            sb.setCharAt(at, Character.isUpperCase(c) ? Character.toUpperCase(r) : r);
            changed++;
        }
        return sb.toString();
    }

    /** Writes a Latin name the way a Russian writer would, digraphs first. */
    private static String cyrillic(String name, Transliterator latinCyrillic) {
        String s = name.toLowerCase(Locale.ROOT);
        // initial and post-vowel "e" is written "э"; "qu" is "к"; soft "c" is "с"
        s = s.replace("ee", "и")
                .replaceAll("\\be", "э")
                .replaceAll("([aeiou])e", "$1э")
                .replace("qu", "к")
                .replaceAll("c([eiy])", "с$1");
        String[][] digraphs = {
            {"shch", "щ"},
            {"sh", "ш"},
            {"ch", "ч"},
            {"zh", "ж"},
            {"kh", "х"},
            {"ts", "ц"},
            {"ya", "я"},
            {"yu", "ю"},
            {"yo", "ё"},
            {"ye", "е"},
            {"iy", "ий"},
            {"j", "дж"},
            {"w", "в"},
            {"q", "к"},
            {"h", "х"},
            {"c", "к"},
            {"x", "кс"},
            {"y", "й"}
        };
        for (String[] d : digraphs) s = s.replace(d[0], d[1]);
        return latinCyrillic.transliterate(s);
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
