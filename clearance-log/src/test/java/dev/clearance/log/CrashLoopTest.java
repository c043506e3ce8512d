package dev.clearance.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.clearance.log.audit.LogVerifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The durability contract, tested for real: a child JVM appends under load and is killed with
 * SIGKILL at a random moment, several times over the same log. Every entry the child reported
 * as acknowledged must be in the log at the index it was given, and the log must verify.
 */
class CrashLoopTest {
    @TempDir
    Path dir;

    @Test
    void every_acknowledged_entry_survives_kill_9_during_load() throws Exception {
        Map<Long, String> acknowledged = new HashMap<>();
        int rounds = 6;
        int kills = 0;
        for (int round = 0; round < rounds; round++) {
            Process child = new ProcessBuilder(
                            javaExecutable(),
                            "-Xmx256m",
                            "-cp",
                            System.getProperty("java.class.path"),
                            CrashLoadDriver.class.getName(),
                            dir.toString(),
                            "r" + round)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            Map<Long, String> seen = new HashMap<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader r =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    // Only lines ended by their line feed count: the child killed mid-line leaves a tail
                    // ("151271 r4-" of "151271 r4-7479"), which readLine() would return as a last line.
                    StringBuilder line = new StringBuilder();
                    for (int c; (c = r.read()) != -1; ) {
                        if (c != '\n') {
                            line.append((char) c);
                            continue;
                        }
                        String[] f = line.toString().split(" ");
                        line.setLength(0);
                        if (f.length == 2 && !f[0].equals("open")) {
                            synchronized (seen) {
                                seen.put(Long.parseLong(f[0]), f[1]);
                            }
                        }
                    }
                } catch (Exception e) {
                    // the pipe breaks when the child dies: what was read up to the last line feed counts
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            // wait until the child is under load, then kill it at a random moment
            while (System.nanoTime() < deadline) {
                synchronized (seen) {
                    if (seen.size() > 2000) {
                        break;
                    }
                }
                Thread.sleep(5);
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(0, 300));
            if (child.isAlive()) {
                child.destroyForcibly(); // SIGKILL on POSIX
                kills++;
            }
            child.waitFor(10, TimeUnit.SECONDS);
            reader.join(10_000);
            synchronized (seen) {
                assertThat(seen)
                        .as("round %d acknowledged entries before the kill", round)
                        .isNotEmpty();
                for (var e : seen.entrySet()) {
                    String before = acknowledged.putIfAbsent(e.getKey(), e.getValue());
                    assertThat(before)
                            .as("index %d was acknowledged twice", e.getKey())
                            .isNull();
                }
            }
        }
        assertThat(kills).isEqualTo(rounds);

        try (TransparencyLog log = TransparencyLog.open(dir, LogOptions.defaults())) {
            long size = log.size();
            assertThat(size)
                    .isGreaterThanOrEqualTo(acknowledged.keySet().stream()
                                    .mapToLong(Long::longValue)
                                    .max()
                                    .orElseThrow()
                            + 1);
            List<byte[]> all = log.view().entries(0, size);
            for (var e : acknowledged.entrySet()) {
                assertThat(new String(all.get(Math.toIntExact(e.getKey())), StandardCharsets.UTF_8))
                        .as("entry %d", e.getKey())
                        .isEqualTo(new String(CrashLoadDriver.entry(e.getValue()), StandardCharsets.UTF_8));
            }
        }
        LogVerifier.Result result = LogVerifier.verify(dir);
        assertThat(result.failure()).isEmpty();
        assertThat(result.unsignedEntries()).isZero();
    }

    private static String javaExecutable() {
        return ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
