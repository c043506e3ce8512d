package dev.clearance.simulate;

import dev.clearance.core.Decision;
import dev.clearance.core.Request;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One worker's running counts over traffic; workers never share one, and tallies are merged at the end.
 * Counts are {@code long[5]}: total, baseline denied, draft denied, newly denied, newly allowed.
 */
final class TrafficTally {
    static final String UNKNOWN_COUNTRY = "unknown";
    private static final int TOTAL = 0, BASE_DENIED = 1, DRAFT_DENIED = 2, NEWLY_DENIED = 3, NEWLY_ALLOWED = 4;

    final long[] totals = new long[5];
    long unknownPrincipals;
    final Map<String, long[]> byModel = new HashMap<>();
    final Map<String, long[]> byCountry = new HashMap<>();
    /** Keyed by epoch hour. */
    final Map<Long, long[]> byHour = new HashMap<>();
    /** newly denied, denied, shadow hits. */
    final Map<String, long[]> byDirective = new HashMap<>();

    private long lastHour;
    private long[] lastHourCounts;

    void add(Request r, boolean knownPrincipal, Decision baseline, Decision draft) {
        boolean bd = !baseline.allowed();
        boolean dd = !draft.allowed();
        boolean newlyDenied = !bd && dd;
        if (!knownPrincipal) {
            unknownPrincipals++;
        }
        count(totals, bd, dd);
        count(byModel.computeIfAbsent(r.model(), k -> new long[5]), bd, dd);
        String country = r.country().isEmpty() ? UNKNOWN_COUNTRY : r.country();
        count(byCountry.computeIfAbsent(country, k -> new long[5]), bd, dd);
        long hour = Math.floorDiv(r.time().getEpochSecond(), 3600L);
        if (hour != lastHour || lastHourCounts == null) {
            // Traffic comes roughly in time order: remember the current hour's counts.
            lastHour = hour;
            lastHourCounts = byHour.computeIfAbsent(hour, k -> new long[5]);
        }
        count(lastHourCounts, bd, dd);
        // Indexed, not for-each: run with C1 only (bin/clearance on two cores), an iterator is an allocation.
        List<String> hits = draft.directives();
        for (int i = 0; i < hits.size(); i++) {
            long[] c = byDirective.computeIfAbsent(hits.get(i), k -> new long[3]);
            c[1]++;
            if (newlyDenied) {
                c[0]++;
            }
        }
        List<String> shadow = draft.shadow();
        for (int i = 0; i < shadow.size(); i++) {
            byDirective.computeIfAbsent(shadow.get(i), k -> new long[3])[2]++;
        }
    }

    private static void count(long[] c, boolean bd, boolean dd) {
        c[TOTAL]++;
        if (bd) {
            c[BASE_DENIED]++;
        }
        if (dd) {
            c[DRAFT_DENIED]++;
        }
        if (!bd && dd) {
            c[NEWLY_DENIED]++;
        } else if (bd && !dd) {
            c[NEWLY_ALLOWED]++;
        }
    }

    void merge(TrafficTally o) {
        add(totals, o.totals);
        unknownPrincipals += o.unknownPrincipals;
        mergeMap(byModel, o.byModel);
        mergeMap(byCountry, o.byCountry);
        mergeMap(byHour, o.byHour);
        mergeMap(byDirective, o.byDirective);
    }

    private static <K> void mergeMap(Map<K, long[]> into, Map<K, long[]> from) {
        from.forEach((k, v) -> {
            long[] c = into.get(k);
            if (c == null) {
                into.put(k, v.clone());
            } else {
                add(c, v);
            }
        });
    }

    private static void add(long[] into, long[] from) {
        for (int i = 0; i < into.length; i++) {
            into[i] += from[i];
        }
    }

    static ImpactReport.Counts counts(long[] c) {
        return new ImpactReport.Counts(c[TOTAL], c[BASE_DENIED], c[DRAFT_DENIED], c[NEWLY_DENIED], c[NEWLY_ALLOWED]);
    }

    ImpactReport.Traffic toReport() {
        Map<String, ImpactReport.Counts> models = new HashMap<>();
        byModel.forEach((k, v) -> models.put(k, counts(v)));
        Map<String, ImpactReport.Counts> countries = new HashMap<>();
        byCountry.forEach((k, v) -> countries.put(k, counts(v)));
        Map<String, ImpactReport.DirectiveTraffic> directives = new HashMap<>();
        byDirective.forEach((k, v) -> directives.put(k, new ImpactReport.DirectiveTraffic(v[0], v[1], v[2])));
        return new ImpactReport.Traffic(counts(totals), unknownPrincipals, directives, models, countries, buckets());
    }

    /**
     * Hourly buckets, or daily or weekly ones when the traffic spans so long that hours would not fit
     * on a chart (at most {@value #MAX_BUCKETS}); empty buckets between the first and last are kept so
     * a chart's time axis is linear. Weekly buckets start on the Thursday of the epoch; if even weeks
     * are too many, only non-empty weeks are listed.
     */
    private List<ImpactReport.TimeBucket> buckets() {
        if (byHour.isEmpty()) {
            return List.of();
        }
        TreeMap<Long, long[]> hours = new TreeMap<>(byHour);
        long first = hours.firstKey();
        long last = hours.lastKey();
        long width = 1;
        for (long w : new long[] {1, 24, 24 * 7}) {
            width = w;
            if (Math.floorDiv(last, w) - Math.floorDiv(first, w) + 1 <= MAX_BUCKETS) {
                break;
            }
        }
        TreeMap<Long, long[]> grouped = new TreeMap<>();
        for (Map.Entry<Long, long[]> e : hours.entrySet()) {
            long[] c = grouped.computeIfAbsent(Math.floorDiv(e.getKey(), width), k -> new long[5]);
            add(c, e.getValue());
        }
        long firstBucket = grouped.firstKey();
        long lastBucket = grouped.lastKey();
        boolean fill = lastBucket - firstBucket + 1 <= MAX_BUCKETS;
        List<ImpactReport.TimeBucket> out = new ArrayList<>();
        Duration d = Duration.ofHours(width);
        if (fill) {
            for (long b = firstBucket; b <= lastBucket; b++) {
                long[] c = grouped.getOrDefault(b, new long[5]);
                out.add(new ImpactReport.TimeBucket(Instant.ofEpochSecond(b * width * 3600L), d, counts(c)));
            }
        } else {
            for (Map.Entry<Long, long[]> e : grouped.entrySet()) {
                out.add(new ImpactReport.TimeBucket(
                        Instant.ofEpochSecond(e.getKey() * width * 3600L), d, counts(e.getValue())));
            }
        }
        return out;
    }

    static final int MAX_BUCKETS = 120;
}
