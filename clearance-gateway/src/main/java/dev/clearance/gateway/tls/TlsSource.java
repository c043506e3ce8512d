package dev.clearance.gateway.tls;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One listener's or upstream's TLS material, as metrics and operators see it: when the certificate it
 * serves or presents expires, and how often its files were reloaded or refused.
 */
public final class TlsSource {
    private final String kind;
    private final String name;
    private final Supplier<Optional<Instant>> notAfter;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();

    TlsSource(String kind, String name, Supplier<Optional<Instant>> notAfter) {
        this.kind = kind;
        this.name = name;
        this.notAfter = notAfter;
    }

    /** {@code listener} or {@code upstream}. */
    public String kind() {
        return kind;
    }

    /** The listener ({@code server}, {@code admin}) or the upstream's name. */
    public String name() {
        return name;
    }

    /** When the certificate served or presented now expires; empty when it presents none (CA only). */
    public Optional<Instant> notAfter() {
        return notAfter.get();
    }

    /** Changed files put in force. */
    public long reloads() {
        return reloads.get();
    }

    /** Changed files refused (unreadable, mismatched, expired): the previous material stayed in force. */
    public long reloadFailures() {
        return failures.get();
    }

    void reloaded() {
        reloads.incrementAndGet();
    }

    void refused() {
        failures.incrementAndGet();
    }

    @Override
    public String toString() {
        return kind + " " + name;
    }
}
