package dev.clearance.classify;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The trained classifier as bytes: the hash of the inputs it was trained from, the capabilities
 * ({@code id@version}), one {@link Head} per capability, and the training chunks' embeddings and
 * texts (the second stage's neighbours at run time; and an operator's capabilities are trained at
 * load time without embedding the shipped exemplars again). The encoding is fixed-order binary, so
 * the same training gives the same bytes.
 */
record Artefact(String inputs, List<String> capabilities, List<Head> heads, List<Sample> samples) {
    static final String RESOURCE = "/capabilities/classifier.bin";
    private static final int MAGIC = 0x434c4331; // "CLC1"
    /** Bump when the features, the windows or the encoding change: it is part of the inputs hash. */
    static final int FORMAT = 4;

    Artefact {
        capabilities = List.copyOf(capabilities);
        heads = List.copyOf(heads);
        samples = List.copyOf(samples);
    }

    byte[] bytes() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(inputs);
            out.writeInt(capabilities.size());
            for (String c : capabilities) {
                out.writeUTF(c);
            }
            out.writeInt(heads.size());
            for (Head h : heads) {
                out.writeUTF(h.capability());
                weights(out, h.full());
                out.writeInt(h.stage().length);
                for (double d : h.stage()) {
                    out.writeDouble(d);
                }
                out.writeDouble(h.threshold());
                weights(out, h.lexical());
                out.writeDouble(h.lexicalThreshold());
                out.writeDouble(h.cost());
                out.writeDouble(h.lexicalCost());
            }
            out.writeInt(samples.size());
            for (Sample s : samples) {
                out.writeInt(s.group());
                out.writeUTF(s.origin());
                out.writeBoolean(s.positive());
                out.writeUTF(s.sub());
                floats(out, s.embedding());
                byte[] text = s.text().getBytes(java.nio.charset.StandardCharsets.UTF_8);
                out.writeInt(text.length);
                out.write(text);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.toByteArray();
    }

    static Artefact read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(stream, 1 << 16));
        if (in.readInt() != MAGIC || in.readInt() != FORMAT) {
            throw new IOException("not a classifier artefact of format " + FORMAT);
        }
        String inputs = in.readUTF();
        List<String> capabilities = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            capabilities.add(in.readUTF());
        }
        List<Head> heads = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            String id = in.readUTF();
            Head.Weights full = weights(in);
            double[] stage = new double[in.readInt()];
            for (int i = 0; i < stage.length; i++) {
                stage[i] = in.readDouble();
            }
            double threshold = in.readDouble();
            Head.Weights lexical = weights(in);
            heads.add(new Head(id, full, stage, threshold, lexical, in.readDouble(), in.readDouble(), in.readDouble()));
        }
        List<Sample> samples = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            int group = in.readInt();
            String origin = in.readUTF();
            boolean positive = in.readBoolean();
            String sub = in.readUTF();
            float[] e = floats(in);
            byte[] text = new byte[in.readInt()];
            in.readFully(text);
            samples.add(new Sample(
                    group, origin, positive, sub, e, new String(text, java.nio.charset.StandardCharsets.UTF_8)));
        }
        return new Artefact(inputs, capabilities, heads, samples);
    }

    private static void weights(DataOutputStream out, Head.Weights w) throws IOException {
        out.writeDouble(w.intercept());
        floats(out, w.embedding());
        floats(out, w.lexical());
    }

    private static Head.Weights weights(DataInputStream in) throws IOException {
        return new Head.Weights(in.readDouble(), floats(in), floats(in));
    }

    private static void floats(DataOutputStream out, float[] v) throws IOException {
        out.writeInt(v.length);
        for (float f : v) {
            out.writeFloat(f);
        }
    }

    private static float[] floats(DataInputStream in) throws IOException {
        float[] v = new float[in.readInt()];
        for (int i = 0; i < v.length; i++) {
            v[i] = in.readFloat();
        }
        return v;
    }
}
