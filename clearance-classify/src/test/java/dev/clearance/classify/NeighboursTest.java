package dev.clearance.classify;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class NeighboursTest {
    /** A unit vector at angle {@code a} (radians) in the plane of the first two dimensions. */
    static float[] at(double a) {
        float[] e = new float[Encoder.DIMENSION];
        e[0] = (float) Math.cos(a);
        e[1] = (float) Math.sin(a);
        return e;
    }

    static Sample positive(int group, String sub, double a) {
        return new Sample(group, "x", true, sub, at(a), "text " + group);
    }

    /** Three malware positives close to the query, two evasion ones a little further, one negative. */
    static List<Sample> samples() {
        List<Sample> out = new ArrayList<>();
        out.add(positive(0, "x.malware", 0.00));
        out.add(positive(1, "x.malware", 0.01));
        out.add(positive(2, "x.malware", 0.02));
        out.add(positive(3, "x.evasion", 0.10));
        out.add(positive(4, "x.evasion", 0.11));
        out.add(new Sample(5, "", false, "", at(0.0), "a negative"));
        return out;
    }

    @Test
    void three_of_the_five_nearest_positives_sharing_a_sub_capability_name_it() {
        Neighbours near = new Neighbours(samples(), List.of("x"));
        assertThat(near.sub(at(0), 0, -1)).isEqualTo("x.malware");
    }

    @Test
    void the_sub_capability_vote_ignores_the_exemplar_left_out() {
        Neighbours near = new Neighbours(samples(), List.of("x"));
        // Without exemplar 0, two malware and two evasion positives remain: no sub-capability has three votes.
        assertThat(near.sub(at(0), 0, 0)).isEmpty();
        assertThat(near.sub(at(0), 0, 3)).isEqualTo("x.malware");
    }

    @Test
    void negatives_do_not_vote() {
        List<Sample> samples = new ArrayList<>(samples().subList(3, 6));
        samples.add(new Sample(6, "", false, "", at(0.0), "another negative"));
        Neighbours near = new Neighbours(samples, List.of("x"));
        assertThat(near.sub(at(0), 0, -1)).isEmpty();
    }
}
