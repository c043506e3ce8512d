package dev.clearance.classify;

import dev.clearance.core.PolicyException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds the classifier artefact at build time: {@code main(dir, out)} embeds the exemplars of the
 * capability files in {@code dir} and trains the heads ({@link Training}), and writes the artefact
 * to {@code out}, unless {@code out} was already trained from the same inputs. Embedding runs on
 * every core, each worker with its own single-threaded model, so the embeddings (and therefore the
 * artefact) do not depend on the number of cores.
 */
public final class Trainer {
    private Trainer() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: Trainer CAPABILITY_DIR ARTEFACT");
            System.exit(2);
        }
        Path out = Path.of(args[1]);
        long start = System.nanoTime();
        Taxonomy taxonomy;
        try {
            taxonomy = CapabilityParser.load(Path.of(args[0]));
        } catch (PolicyException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        String inputs = inputsHash(taxonomy);
        if (Files.exists(out) && inputs.equals(inputsOf(out))) {
            System.out.println("classifier artefact up to date (" + inputs + ")");
            return;
        }
        List<Sample> samples = samples(taxonomy, 0, Runtime.getRuntime().availableProcessors());
        System.out.printf(
                "embedded %d chunks of %d exemplars in %.1f s%n",
                samples.size(),
                samples.stream().mapToInt(Sample::group).distinct().count(),
                (System.nanoTime() - start) / 1e9);
        Artefact artefact = Training.train(
                inputs,
                taxonomy.capabilities().stream()
                        .map(c -> c.id() + "@" + c.version())
                        .toList(),
                samples,
                System.out::println);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.write(out, artefact.bytes());
        System.out.printf("classifier artefact trained in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, out);
    }

    private static String inputsOf(Path artefact) {
        try (InputStream in = Files.newInputStream(artefact)) {
            return Artefact.read(in).inputs();
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * A content hash of what a training depends on: the taxonomy (capabilities, exemplars and
     * negatives, in order; not the file layout), the embedding model, the windows, the features and
     * the cross-validation settings.
     */
    static String inputsHash(Taxonomy taxonomy) {
        StringBuilder sb = new StringBuilder();
        sb.append("format=")
                .append(Artefact.FORMAT)
                .append(";model=")
                .append(Encoder.MODEL)
                .append(";window=")
                .append(Encoder.WINDOW_TOKENS)
                .append('/')
                .append(Encoder.STRIDE)
                .append(";lexical=")
                .append(Lexical.WORDS)
                .append('+')
                .append(Lexical.CHARS)
                .append(";scale=")
                .append(Head.EMBEDDING_SCALE)
                .append(";neighbours=")
                .append(Neighbours.K)
                .append(";fpr=")
                .append(Training.TARGET_FPR)
                .append('/')
                .append(Training.GENERAL_FPR)
                .append(";costs=")
                .append(Arrays.toString(Training.COSTS))
                .append('/')
                .append(Training.STAGE_COST)
                .append('\n');
        for (Capability c : taxonomy.capabilities()) {
            sb.append("capability ")
                    .append(c.id())
                    .append('@')
                    .append(c.version())
                    .append('\n');
            c.subcapabilities().forEach(s -> sb.append("sub ").append(s.id()).append('\n'));
            c.positives().forEach(e -> canonical(sb.append("+ "), e));
            c.hardNegatives().forEach(e -> canonical(sb.append("- "), e));
        }
        taxonomy.negatives().forEach(e -> canonical(sb.append("* "), e));
        return "sha256:" + sha256(sb.toString());
    }

    private static void canonical(StringBuilder sb, Exemplar e) {
        sb.append(e.label()).append('\n');
        for (Input.Part p : e.input().parts()) {
            Input.Part.Text t = (Input.Part.Text) p;
            sb.append(t.role().label())
                    .append(' ')
                    .append(t.text().length())
                    .append(':')
                    .append(t.text());
        }
        sb.append('\n');
    }

    static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The training chunks of every exemplar, numbered from {@code firstGroup}, embedded by
     * {@code workers} single-threaded models in parallel. A positive conversation contributes its
     * request and the request read with the turn before it (the other turns may be innocent); every
     * chunk of a negative is negative.
     */
    static List<Sample> samples(Taxonomy taxonomy, int firstGroup, int workers) {
        record Labelled(String origin, boolean positive, Exemplar exemplar) {}
        List<Labelled> all = new ArrayList<>();
        for (Capability c : taxonomy.capabilities()) {
            c.positives().forEach(e -> all.add(new Labelled(c.id(), true, e)));
            c.hardNegatives().forEach(e -> all.add(new Labelled(c.id(), false, e)));
        }
        taxonomy.negatives().forEach(e -> all.add(new Labelled("", false, e)));
        int n = Math.max(1, Math.min(workers, all.size()));
        List<List<Sample>> parts = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            parts.add(null);
        }
        java.util.stream.IntStream.range(0, n).parallel().forEach(w -> {
            List<Sample> mine = new ArrayList<>();
            try (Encoder encoder = Encoder.open(1)) {
                // Contiguous slices, so that the groups come out in exemplar order when joined.
                int from = all.size() * w / n;
                int to = all.size() * (w + 1) / n;
                for (int i = from; i < to; i++) {
                    Labelled l = all.get(i);
                    add(mine, firstGroup + i, l.origin(), l.positive(), l.exemplar(), encoder);
                }
            }
            parts.set(w, mine);
        });
        List<Sample> out = new ArrayList<>();
        parts.forEach(out::addAll);
        return out;
    }

    private static void add(List<Sample> out, int group, String origin, boolean positive, Exemplar e, Encoder enc) {
        Input input = e.input();
        int request = input.request();
        List<Chunking.Chunk> chunks = Chunking.of(input, enc, Classifier.MAX_CHUNKS).chunks().stream()
                .filter(c -> !positive || input.parts().size() == 1 || c.part() == request)
                .toList();
        float[][] embeddings = Chunking.embed(chunks, enc);
        for (int i = 0; i < chunks.size(); i++) {
            String sub = positive && e.label() != null ? e.label() : "";
            out.add(new Sample(
                    group, origin, positive, sub, embeddings[i], chunks.get(i).text()));
        }
    }
}
