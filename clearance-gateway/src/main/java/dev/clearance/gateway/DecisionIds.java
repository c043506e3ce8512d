package dev.clearance.gateway;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The gateway's decision ids: time-ordered (UUIDv7 layout), so ids sort roughly by time in logs and
 * indexes. They identify, they do not authorise: a fast non-cryptographic random part is enough. The
 * clock and the randomness are passed in, so a test can pin both.
 */
final class DecisionIds {
    private final Clock clock;
    private final Supplier<? extends RandomGenerator> random;

    /**
     * @param random the generator for the calling thread (e.g. {@code ThreadLocalRandom::current}: ids
     *     are minted on many threads at once)
     */
    DecisionIds(Clock clock, Supplier<? extends RandomGenerator> random) {
        this.clock = clock;
        this.random = random;
    }

    String next() {
        byte[] b = new byte[16];
        random.get().nextBytes(b);
        long ms = clock.millis();
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (ms >>> (40 - 8 * i));
        }
        b[6] = (byte) ((b[6] & 0x0f) | 0x70);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        // The JDK's UUID text is these 16 bytes as 8-4-4-4-12 lowercase hex, written in one pass.
        ByteBuffer bits = ByteBuffer.wrap(b);
        return new UUID(bits.getLong(), bits.getLong()).toString();
    }
}
