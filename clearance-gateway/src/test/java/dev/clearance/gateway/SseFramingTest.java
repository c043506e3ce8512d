package dev.clearance.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SseFramingTest {
    /** Records what was written between flushes. */
    static final class Flushes extends ByteArrayOutputStream {
        final List<String> flushed = new ArrayList<>();
        private int mark;

        @Override
        public void flush() {
            flushed.add(new String(toByteArray(), mark, size() - mark, StandardCharsets.UTF_8));
            mark = size();
        }
    }

    @Provide
    Arbitrary<List<String>> events() {
        Arbitrary<String> line =
                Arbitraries.strings().withChars("abc: {}\"é").ofMaxLength(12).map(s -> "data: " + s);
        Arbitrary<String> separator = Arbitraries.of("\n", "\r\n");
        return line.list()
                .ofMinSize(1)
                .ofMaxSize(3)
                .flatMap(lines -> separator.map(sep -> String.join(sep, lines) + sep + sep))
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    @Property
    void any_chunking_passes_the_bytes_through_unchanged_and_every_flush_ends_on_an_event_boundary(
            @ForAll("events") List<String> events, @ForAll @IntRange(min = 1, max = 40) int chunk) throws IOException {
        byte[] stream = String.join("", events).getBytes(StandardCharsets.UTF_8);
        SseFraming framing = new SseFraming();
        Flushes out = new Flushes();
        for (int i = 0; i < stream.length; i += chunk) {
            int n = Math.min(chunk, stream.length - i);
            byte[] piece = new byte[n];
            System.arraycopy(stream, i, piece, 0, n);
            framing.accept(piece, n, out);
        }
        framing.finish(out);

        assertThat(out.toByteArray()).isEqualTo(stream);
        assertThat(framing.atBoundary()).isTrue();
        for (String f : out.flushed) {
            assertThat(f).matches("(?s).*(\n\n|\r\n\r\n)");
        }
    }

    @Test
    void an_event_is_flushed_as_soon_as_its_blank_line_arrives_and_a_partial_one_is_held() throws IOException {
        SseFraming framing = new SseFraming();
        Flushes out = new Flushes();
        byte[] first = "data: one\n\ndata: tw".getBytes(StandardCharsets.UTF_8);
        framing.accept(first, first.length, out);

        assertThat(out.flushed).containsExactly("data: one\n\n");
        assertThat(framing.atBoundary()).isFalse();

        byte[] rest = "o\n\n".getBytes(StandardCharsets.UTF_8);
        framing.accept(rest, rest.length, out);
        assertThat(out.flushed).containsExactly("data: one\n\n", "data: two\n\n");
    }
}
