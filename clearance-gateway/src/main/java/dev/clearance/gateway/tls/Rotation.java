package dev.clearance.gateway.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts certificates, keys and CAs changed on disk in force without a restart. Every interval it hashes
 * the content of each watched file (reading through symlinks, so the atomic {@code ..data} symlink
 * swap of Kubernetes secrets, cert-manager and Vault agent is seen like any rewrite). A change is acted
 * on once the content has stayed the same for one more interval, so a certificate and key written one
 * after the other are read as a pair; the new material is read and checked first, and material that
 * cannot be used is refused (logged, counted) while the previous one keeps serving.
 */
final class Rotation implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Rotation.class);

    /** Material read from files, which can be read again and put in force. */
    interface Material {
        List<ConfiguredFile> files();

        /**
         * Reads and checks the files and puts the result in force.
         *
         * @return warnings about material put in force anyway (a certificate expiring soon)
         * @throws TlsException when it cannot be used; what is in force stays
         */
        List<String> reload(java.time.Instant now);

        /** What it is, for the log: e.g. {@code listener server certificate}. */
        String describe();
    }

    /** A material, what it counts against, and what its files held when last seen and last read. */
    private static final class Watched {
        final Material material;
        final List<TlsSource> sources;
        String seen;
        String attempted;

        Watched(Material material, List<TlsSource> sources, String digest) {
            this.material = material;
            this.sources = sources;
            this.seen = digest;
            this.attempted = digest;
        }
    }

    private final List<Watched> watched = new java.util.ArrayList<>();
    private final Clock clock;
    private ScheduledExecutorService timer;

    Rotation(Clock clock) {
        this.clock = clock;
    }

    /** Watches {@code material}, just read; {@code digest} is what its files held before it was read. */
    void watch(Material material, List<TlsSource> sources, String digest) {
        watched.add(new Watched(material, List.copyOf(sources), digest));
    }

    /** Polls every {@code interval} on a daemon thread of its own, until closed. */
    void start(Duration interval) {
        if (watched.isEmpty()) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "clearance-tls-rotation");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One look at every watched file; package-private so tests can step it. */
    synchronized void poll() {
        for (Watched w : watched) {
            try {
                String now = digest(w.material.files());
                if (now.equals(w.seen) && !now.equals(w.attempted)) {
                    w.attempted = now;
                    reload(w);
                }
                w.seen = now;
            } catch (RuntimeException e) {
                // The timer must survive anything one material throws.
                LOG.error("TLS rotation: checking {} failed", w.material.describe(), e);
            }
        }
    }

    private void reload(Watched w) {
        try {
            List<String> warnings = w.material.reload(clock.instant());
            w.sources.forEach(TlsSource::reloaded);
            LOG.info("TLS: {} reloaded from {}", w.material.describe(), paths(w.material));
            warnings.forEach(text -> LOG.warn("TLS: {}: {}", w.material.describe(), text));
        } catch (TlsException e) {
            w.sources.forEach(TlsSource::refused);
            LOG.error(
                    "TLS: the changed {} was refused, the previous one stays in force: {}",
                    w.material.describe(),
                    e.getMessage());
        }
    }

    private static String paths(Material m) {
        return String.join(
                ", ", m.files().stream().map(f -> f.path().toString()).toList());
    }

    /** A hash of the files' content (a missing or unreadable file hashes as such, so its return is a change). */
    static String digest(List<ConfiguredFile> files) {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
        for (ConfiguredFile f : files) {
            sha.update(f.path().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            try {
                byte[] content = Files.readAllBytes(f.path());
                sha.update((byte) 1);
                sha.update(content);
            } catch (IOException e) {
                sha.update((byte) 0);
                sha.update(e.getClass().getName().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
