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
 * ({@code id@version}), one head per capability with its threshold, and the training samples'
 * features (so that an operator's capabilities can be trained at load time without embedding the
 * shipped exemplars again). The encoding is fixed-order binary, so the same training gives the same
 * bytes.
 */
record Artefact(String inputs, List<String> capabilities, List<Head> heads, List<Sample> samples) {
    static final String RESOURCE = "/capabilities/classifier.bin";
    private static final int MAGIC = 0x434c4331; // "CLC1"
    /** Bump when the features, the windows or the encoding change: it is part of the inputs hash. */
    static final int FORMAT = 1;

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
                out.writeDouble(h.intercept());
                out.writeDouble(h.threshold());
                floats(out, h.embedding());
                floats(out, h.lexical());
            }
            out.writeInt(samples.size());
            for (Sample s : samples) {
                out.writeInt(s.group());
                out.writeUTF(s.origin());
                out.writeBoolean(s.positive());
                floats(out, s.embedding());
                out.writeInt(s.buckets().length);
                for (int b : s.buckets()) {
                    out.writeShort(b);
                }
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
            double intercept = in.readDouble();
            double threshold = in.readDouble();
            heads.add(new Head(id, intercept, floats(in), floats(in), threshold));
        }
        List<Sample> samples = new ArrayList<>();
        for (int n = in.readInt(); n > 0; n--) {
            int group = in.readInt();
            String origin = in.readUTF();
            boolean positive = in.readBoolean();
            float[] e = floats(in);
            int[] buckets = new int[in.readInt()];
            for (int i = 0; i < buckets.length; i++) {
                buckets[i] = in.readUnsignedShort();
            }
            samples.add(new Sample(group, origin, positive, e, buckets));
        }
        return new Artefact(inputs, capabilities, heads, samples);
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
