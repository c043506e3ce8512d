package dev.clearance.classify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.liblinear.LibLinearClassificationTrainer;
import org.tribuo.classification.liblinear.LinearClassificationType;

class TrainerTest {
    static final Path SMALL = Path.of("src/test/resources/small");
    static Encoder encoder;
    static Taxonomy taxonomy;
    static List<Sample> samples;

    @BeforeAll
    static void embed() throws Exception {
        encoder = Encoder.open(1);
        taxonomy = CapabilityParser.load(SMALL);
        samples = Trainer.samples(taxonomy, encoder, 0);
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void two_trainings_from_the_same_exemplars_give_identical_bytes() {
        String inputs = Trainer.inputsHash(taxonomy);
        byte[] first = Trainer.train(inputs, taxonomy, Trainer.samples(taxonomy, encoder, 0))
                .bytes();
        byte[] second = Trainer.train(inputs, taxonomy, Trainer.samples(taxonomy, encoder, 0))
                .bytes();
        assertThat(second).isEqualTo(first);
    }

    @Test
    void the_artefact_reads_back_as_written() throws Exception {
        Artefact a = Trainer.train(Trainer.inputsHash(taxonomy), taxonomy, samples);
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
    void a_head_scores_a_chunk_as_tribuos_own_model_predicts_it() {
        Head head = Trainer.fit("offensive-cyber", samples, 2);
        LabelFactory labels = new LabelFactory();
        var data = new org.tribuo.MutableDataset<Label>(
                new org.tribuo.provenance.SimpleDataSourceProvenance("t", labels), labels);
        for (Sample s : samples) {
            data.add(
                    Trainer.example(new Label(s.positive() && s.origin().equals("offensive-cyber") ? "yes" : "no"), s));
        }
        var model = new LibLinearClassificationTrainer(
                        new LinearClassificationType(LinearClassificationType.LinearType.L2R_LR), 2, 1000, 0.001, 1L)
                .train(data);
        for (Sample s : samples.subList(0, 10)) {
            double tribuo = model.predict(Trainer.example(new Label("no"), s))
                    .getOutputScores()
                    .get("yes")
                    .getScore();
            assertThat(head.score(s.embedding(), s.buckets())).isCloseTo(tribuo, within(1e-5));
        }
    }

    @Test
    void the_threshold_lets_at_most_the_target_share_of_negatives_through() {
        Trainer.OutOfFold oof = new Trainer.OutOfFold(
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
