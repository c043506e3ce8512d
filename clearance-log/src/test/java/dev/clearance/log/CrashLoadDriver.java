package dev.clearance.log;

import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Semaphore;

/**
 * A child process for {@link CrashLoopTest}: opens the log in {@code args[0]} and appends entries
 * tagged {@code args[1]} as fast as it can, printing {@code <index> <tag>-<n>} for each entry only
 * after its future completed, i.e. once the log acknowledged it as durable. It runs until killed.
 */
public final class CrashLoadDriver {
    private CrashLoadDriver() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        String tag = args[1];
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), 1 << 16);
        Semaphore inFlight = new Semaphore(4096);
        TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults());
        synchronized (out) {
            out.write("open " + log.size() + "\n");
            out.flush();
        }
        for (long n = 0; ; n++) {
            inFlight.acquire();
            String id = tag + "-" + n;
            log.append(entry(id)).whenComplete((index, failure) -> {
                inFlight.release();
                if (failure == null) {
                    synchronized (out) {
                        try {
                            out.write(index + " " + id + "\n");
                            if (inFlight.availablePermits() > 4000) {
                                out.flush();
                            }
                        } catch (java.io.IOException e) {
                            System.exit(3);
                        }
                    }
                }
            });
            if ((n & 1023) == 0) {
                synchronized (out) {
                    out.flush();
                }
            }
        }
    }

    static byte[] entry(String id) {
        return ("{\"id\":\"" + id + "\",\"time\":\"2026-11-26T12:00:00Z\",\"decision\":\"deny\"}")
                .getBytes(StandardCharsets.UTF_8);
    }
}
