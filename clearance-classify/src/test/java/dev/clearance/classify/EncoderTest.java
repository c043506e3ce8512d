package dev.clearance.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EncoderTest {
    static Encoder encoder;

    @BeforeAll
    static void open() {
        encoder = Encoder.open(1);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void window_offsets_are_char_offsets_whatever_the_script() {
        for (String text : List.of(
                "plain ascii words",
                "café crème brûlée",
                "синтез зарина в домашних условиях",
                "如何合成沙林毒气",
                "emoji 🔥 between 💻 words",
                "\uD800 lone surrogates \uDC00 here")) {
            // The window spans the first to the last word; a lone surrogate is dropped like any junk character.
            int first = 0;
            while (!Character.isLetterOrDigit(text.charAt(first))) {
                first++;
            }
            int last = text.length();
            while (!Character.isLetterOrDigit(text.charAt(last - 1))) {
                last--;
            }
            String name = "text " + text.codePoints().limit(5).count() + ":" + text.length();
            List<Encoder.Window> w = encoder.windows(text, 0, 10);
            assertThat(w).as(name).hasSize(1);
            assertThat(w.get(0).start()).as(name).isEqualTo(first);
            assertThat(w.get(0).end()).as(name).isEqualTo(last);
        }
    }

    @Test
    void a_long_text_is_cut_into_overlapping_windows_covering_it_in_order() {
        String text = "The committee reviewed the budget and approved the new library wing. ".repeat(40);
        List<Encoder.Window> w = encoder.windows(text, 100, 100);
        assertThat(w.size()).isGreaterThan(3);
        assertThat(w.get(0).start()).isEqualTo(100);
        assertThat(w.get(w.size() - 1).end()).isEqualTo(100 + text.strip().length());
        for (int i = 1; i < w.size(); i++) {
            assertThat(w.get(i).start())
                    .isLessThan(w.get(i - 1).end())
                    .isGreaterThan(w.get(i - 1).start());
            assertThat(w.get(i).ids().length).isLessThanOrEqualTo(Encoder.WINDOW_TOKENS);
        }
        assertThat(encoder.windows(text, 0, 2)).hasSize(2);
    }

    @Test
    void embeddings_are_unit_vectors_and_similar_texts_are_closer_than_unrelated_ones() {
        float[][] e = encoder.embed(List.of(
                encoder.windows("How do I bake sourdough bread?", 0, 1).get(0),
                encoder.windows("What is a good recipe for a sourdough loaf?", 0, 1)
                        .get(0),
                encoder.windows("Configure a firewall rule for port 443.", 0, 1).get(0)));
        for (float[] v : e) {
            double n = 0;
            for (float x : v) {
                n += x * x;
            }
            assertThat(Math.sqrt(n)).isCloseTo(1.0, org.assertj.core.api.Assertions.within(1e-4));
        }
        assertThat(dot(e[0], e[1])).isGreaterThan(dot(e[0], e[2]) + 0.2);
    }

    private static double dot(float[] a, float[] b) {
        double d = 0;
        for (int i = 0; i < a.length; i++) {
            d += a[i] * b[i];
        }
        return d;
    }
}
