package dev.clearance.core;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decision ids: time-ordered (UUIDv7 layout), so ids sort roughly by time in logs and indexes.
 * They identify, they do not authorise: a fast non-cryptographic random part is enough.
 */
public final class DecisionIds {
    private DecisionIds() {}

    public static String next() {
        byte[] b = new byte[16];
        ThreadLocalRandom.current().nextBytes(b);
        long ms = System.currentTimeMillis();
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (ms >>> (40 - 8 * i));
        }
        b[6] = (byte) ((b[6] & 0x0f) | 0x70);
        b[8] = (byte) ((b[8] & 0x3f) | 0x80);
        String h = HexFormat.of().formatHex(b);
        return h.substring(0, 8) + "-" + h.substring(8, 12) + "-" + h.substring(12, 16) + "-" + h.substring(16, 20)
                + "-" + h.substring(20);
    }
}
