package dev.clearance.log.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.clearance.log.ConsistencyProof;
import dev.clearance.log.InclusionProof;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** The transparency-dev/merkle proof vectors (copied under src/test/resources/merkle). */
class ProofVectorsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TestFactory
    Stream<DynamicTest> every_inclusion_vector_verifies_exactly_when_it_should() throws Exception {
        return vectors("inclusion")
                .map(f -> DynamicTest.dynamicTest(name(f), () -> {
                    JsonNode n = JSON.readTree(f.toFile());
                    boolean wantErr = n.get("wantErr").asBoolean();
                    if (wantErr) {
                        assertThatThrownBy(() ->
                                        InclusionProof.fromJson(n, name(f)).verify())
                                .isInstanceOf(ProofException.class);
                    } else {
                        assertThatCode(() -> InclusionProof.fromJson(n, name(f)).verify())
                                .doesNotThrowAnyException();
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> every_consistency_vector_verifies_exactly_when_it_should() throws Exception {
        return vectors("consistency")
                .map(f -> DynamicTest.dynamicTest(name(f), () -> {
                    JsonNode n = JSON.readTree(f.toFile());
                    boolean wantErr = n.get("wantErr").asBoolean();
                    if (wantErr) {
                        assertThatThrownBy(() ->
                                        ConsistencyProof.fromJson(n, name(f)).verify())
                                .isInstanceOf(ProofException.class);
                    } else {
                        assertThatCode(() ->
                                        ConsistencyProof.fromJson(n, name(f)).verify())
                                .doesNotThrowAnyException();
                    }
                }));
    }

    @Test
    void happy_paths_are_the_vectors_that_must_verify_and_all_others_are_tampered() throws Exception {
        List<Path> all =
                Stream.concat(vectors("inclusion"), vectors("consistency")).toList();
        assertThat(all).hasSizeGreaterThanOrEqualTo(196);
        for (Path f : all) {
            boolean wantErr = JSON.readTree(f.toFile()).get("wantErr").asBoolean();
            if (f.getFileName().toString().equals("happy-path.json")) {
                assertThat(wantErr).as(name(f)).isFalse();
            }
        }
        assertThat(all.stream().filter(f -> f.getFileName().toString().equals("happy-path.json")))
                .hasSizeGreaterThanOrEqualTo(10);
    }

    @Test
    void generated_proofs_over_the_vector_leaves_equal_the_vectors() throws Exception {
        byte[][] leaves = {
            hex(""),
            hex("00"),
            hex("10"),
            hex("2021"),
            hex("3031"),
            hex("40414243"),
            hex("5051525354555657"),
            hex("606162636465666768696a6b6c6d6e6f")
        };
        Rfc6962 h = new Rfc6962();
        java.util.Map<String, byte[]> nodes = new java.util.HashMap<>();
        CompactRange range = new CompactRange(h);
        for (byte[] leaf : leaves) {
            range.append(h.leafHash(leaf), (level, index, hash) -> nodes.put(level + "/" + index, hash));
        }
        assertThat(java.util.HexFormat.of().formatHex(range.root()))
                .isEqualTo("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
        ProofBuilder builder = new ProofBuilder((level, index) -> nodes.get(level + "/" + index));
        for (Path f : vectors("inclusion")
                .filter(p -> p.getFileName().toString().equals("happy-path.json"))
                .toList()) {
            InclusionProof want = InclusionProof.fromJson(JSON.readTree(f.toFile()), name(f));
            List<byte[]> got = builder.inclusion(want.leafIdx(), want.treeSize());
            assertThat(got)
                    .as(name(f))
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(want.proof());
            assertThat(builder.root(want.treeSize())).as(name(f)).isEqualTo(want.root());
        }
        for (Path f : vectors("consistency")
                .filter(p -> p.getFileName().toString().equals("happy-path.json"))
                .toList()) {
            ConsistencyProof want = ConsistencyProof.fromJson(JSON.readTree(f.toFile()), name(f));
            List<byte[]> got = builder.consistency(want.size1(), want.size2());
            assertThat(got)
                    .as(name(f))
                    .usingElementComparator(java.util.Arrays::compare)
                    .containsExactlyElementsOf(want.proof());
        }
    }

    private static byte[] hex(String s) {
        return java.util.HexFormat.of().parseHex(s);
    }

    private static Stream<Path> vectors(String kind) throws IOException, URISyntaxException {
        Path root =
                Path.of(ProofVectorsTest.class.getResource("/merkle/" + kind).toURI());
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList().stream();
        }
    }

    private static String name(Path f) {
        return f.getParent().getFileName() + "/" + f.getFileName();
    }
}
