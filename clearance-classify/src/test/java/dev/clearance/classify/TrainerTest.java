package dev.clearance.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;

class TrainerTest {
    static final Path SMALL = Path.of("src/test/resources/small");
    static Taxonomy taxonomy;
    static List<Sample> samples;

    @BeforeAll
    static void embed() throws Exception {
        taxonomy = CapabilityParser.load(SMALL);
        samples = Trainer.samples(taxonomy, 0, 1);
    }

    static Artefact train(List<Sample> samples) {
        return Training.train(
                Trainer.inputsHash(taxonomy),
                taxonomy.capabilities().stream()
                        .map(c -> c.id() + "@" + c.version())
                        .toList(),
                samples,
                s -> {});
    }

    @Test
    void two_trainings_from_the_same_exemplars_give_identical_bytes_however_many_embed() {
        byte[] first = train(Trainer.samples(taxonomy, 0, 1)).bytes();
        byte[] second = train(Trainer.samples(taxonomy, 0, 3)).bytes();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void the_artefact_reads_back_as_written() throws Exception {
        Artefact a = train(samples);
        Artefact back = Artefact.read(new java.io.ByteArrayInputStream(a.bytes()));
        assertThat(back.bytes()).isEqualTo(a.bytes());
        assertThat(back.capabilities()).containsExactly("cbrn@test-1", "offensive-cyber@test-1");
    }

    @Test
    void the_inputs_hash_changes_with_an_exemplar_and_not_with_the_file_layout() throws Exception {
        String hash = Trainer.inputsHash(taxonomy);
        Capability cyber = taxonomy.capabilities().get(0);
        List<Exemplar> fewer = cyber.positives().subList(1, cyber.positives().size());
        Capability changed = new Capability(
                cyber.id(),
                cyber.version(),
                cyber.description(),
                cyber.subcapabilities(),
                fewer,
                cyber.hardNegatives(),
                "elsewhere.yaml");
        Taxonomy other = new Taxonomy(List.of(changed, taxonomy.capabilities().get(1)), taxonomy.negatives());
        assertThat(Trainer.inputsHash(other)).isNotEqualTo(hash);
        Capability moved = new Capability(
                cyber.id(),
                cyber.version(),
                cyber.description(),
                cyber.subcapabilities(),
                cyber.positives(),
                cyber.hardNegatives(),
                "elsewhere.yaml");
        assertThat(Trainer.inputsHash(
                        new Taxonomy(List.of(moved, taxonomy.capabilities().get(1)), taxonomy.negatives())))
                .isEqualTo(hash);
    }

    @Test
    void a_fitted_model_scores_a_chunk_as_tribuos_own_model_predicts_it() {
        List<LogisticRegression.Row> rows = samples.stream()
                .map(s -> new LogisticRegression.Row(
                        s.positiveFor("offensive-cyber"), s.embedding(), s.lexical(), new double[] {
                            s.text().length() / 100.0
                        }))
                .toList();
        LogisticRegression.Fitted fitted = LogisticRegression.fit(rows, 2);
        LabelFactory labels = new LabelFactory();
        var data = new org.tribuo.MutableDataset<Label>(
                new org.tribuo.provenance.SimpleDataSourceProvenance("t", labels), labels);
        rows.forEach(r -> data.add(LogisticRegression.example(r)));
        var model = new LibLinearClassificationTrainer(
                        new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 2, 1000, 0.001, 1L)
                .train(data);
        for (LogisticRegression.Row r : rows.subList(0, 10)) {
            double tribuo = model.predict(LogisticRegression.example(r))
                    .getOutputScores()
                    .get("yes")
                    .getScore();
            assertThat(Head.sigmoid(Training.logit(fitted, r))).isCloseTo(tribuo, within(1e-5));
        }
    }

    @Test
    void an_unembedded_chunk_reaches_the_threshold_exactly_when_the_lexical_head_reaches_its_own() {
        Head head = train(samples).heads().get(1);
        for (Sample s : samples) {
            double lexical = Head.sigmoid(head.lexical().logit(null, s.lexical()));
            boolean byLexical = lexical >= head.lexicalThreshold();
            boolean mapped = head.lexicalScore(s.lexical()) >= head.threshold();
            if (Math.abs(lexical - head.lexicalThreshold()) > 1e-9) {
                assertThat(mapped).isEqualTo(byLexical);
            }
        }
    }

    @Test
    void the_threshold_lets_at_most_the_target_share_of_negatives_through() {
        Training.OutOfFold oof = new Training.OutOfFold(
                new double[] {0.9, 0.8, 0.3},
                java.util.stream.IntStream.range(0, 200)
                        .mapToDouble(i -> i / 400.0)
                        .toArray());
        double t = oof.threshold(0.01);
        long above =
                java.util.Arrays.stream(oof.negatives()).filter(s -> s >= t).count();
        assertThat(above).isEqualTo(2);
        assertThat(oof.recall(t)).isCloseTo(2 / 3.0, within(1e-9));
    }
}
