package dev.clearance.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** The word-at-a-time check that an entry is one line answers exactly as a byte-by-byte scan. */
class OneLineTest {
    @Property(tries = 3000)
    void the_word_scan_agrees_with_a_byte_scan(@ForAll("entries") byte[] entry) {
        assertThat(TransparencyLog.oneLine(entry)).isEqualTo(byteByByte(entry));
    }

    @Property(tries = 200)
    void a_line_feed_or_nul_anywhere_is_found(
            @ForAll("lengths") int length, @ForAll("lengths") int at, @ForAll boolean nul) {
        byte[] entry = new byte[length];
        Arrays.fill(entry, (byte) 'a');
        entry[at % length] = nul ? 0 : (byte) '\n';
        assertThat(TransparencyLog.oneLine(entry)).isFalse();
        entry[at % length] = (byte) 0x8A; // a high byte that only shares the line feed's low bits
        assertThat(TransparencyLog.oneLine(entry)).isTrue();
    }

    @Provide
    Arbitrary<byte[]> entries() {
        // Mostly bytes near the two refused ones and the high ones, where a word trick could go wrong.
        Arbitrary<Byte> near = Arbitraries.of(
                (byte) 0,
                (byte) 1,
                (byte) 9,
                (byte) 10,
                (byte) 11,
                (byte) 0x0B,
                (byte) 0x80,
                (byte) 0x8A,
                (byte) 0xFF,
                (byte) 0x7F,
                (byte) 'a');
        Arbitrary<Byte> any = Arbitraries.bytes();
        return Arbitraries.frequencyOf(Tuple.of(1, near), Tuple.of(1, any), Tuple.of(6, Arbitraries.just((byte) 'x')))
                .array(byte[].class)
                .ofMinSize(0)
                .ofMaxSize(70);
    }

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.integers().between(1, 100);
    }

    private static boolean byteByByte(byte[] entry) {
        for (byte b : entry) {
            if (b == '\n' || b == 0) {
                return false;
            }
        }
        return true;
    }
}
