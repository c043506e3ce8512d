package dev.clearance.classify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The other reference point: nearest neighbour over a few exemplars with the same embedding model.
 * Each capability keeps the embeddings of its first {@code k} positive exemplars (file order, so
 * the choice is fixed); an input's score for a capability is the highest cosine similarity between
 * any of its chunks and any of those exemplars.
 */
final class NearestNeighbourBaseline {
    private final Encoder encoder;
    private final Map<String, float[][]> exemplars = new LinkedHashMap<>();

    NearestNeighbourBaseline(Taxonomy taxonomy, Encoder encoder, int k) {
        this.encoder = encoder;
        for (Capability c : taxonomy.capabilities()) {
            List<Encoder.Window> windows = new ArrayList<>();
            for (Exemplar e : c.positives().subList(0, Math.min(k, c.positives().size()))) {
                Input.Part.Text request =
                        (Input.Part.Text) e.input().parts().get(e.input().request());
                windows.addAll(encoder.windows(request.text(), 0, 1));
            }
            exemplars.put(c.id(), encoder.embed(windows));
        }
    }

    Map<String, Double> scores(Input input) {
        List<Chunking.Chunk> chunks =
                Chunking.of(input, encoder, Classifier.MAX_CHUNKS).chunks();
        float[][] embedded = Chunking.embed(chunks, encoder);
        Map<String, Double> out = new LinkedHashMap<>();
        exemplars.forEach((c, ex) -> {
            double best = 0;
            for (float[] v : embedded) {
                for (float[] x : ex) {
                    double dot = 0;
                    for (int d = 0; d < v.length; d++) {
                        dot += v[d] * x[d];
                    }
                    best = Math.max(best, dot);
                }
            }
            out.put(c, best);
        });
        return out;
    }
}
