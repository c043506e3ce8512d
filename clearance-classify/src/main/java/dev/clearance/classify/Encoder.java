package dev.clearance.classify;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentence-embedding model, run in the JVM: all-MiniLM-L6-v2 (quantised ONNX, as packaged by
 * langchain4j) on ONNX Runtime, with its Hugging Face tokenizer. Text is cut into token windows of
 * the length the model was trained on (128), overlapping by {@link #STRIDE} tokens, and each window
 * is embedded (mean pooling, L2-normalised). Thread-safe: ONNX Runtime sessions and the tokenizer
 * may be used from many threads at once.
 */
final class Encoder implements AutoCloseable {
    static final String MODEL = "all-minilm-l6-v2-q";
    static final int DIMENSION = 384;
    static final int WINDOW_TOKENS = 128;
    static final int STRIDE = 16;
    /** Windows run through the model in one call: bounds the tensor memory of a long input. */
    private static final int BATCH = 16;

    private final OrtEnvironment environment;
    private final OrtSession session;
    private final HuggingFaceTokenizer tokenizer;
    private final boolean typeIds;

    private Encoder(OrtEnvironment environment, OrtSession session, HuggingFaceTokenizer tokenizer) {
        this.environment = environment;
        this.session = session;
        this.tokenizer = tokenizer;
        this.typeIds = session.getInputNames().contains("token_type_ids");
    }

    /**
     * Loads the packaged model; {@code threads} is ONNX Runtime's intra-op parallelism for one call
     * (training uses 1 so that embeddings, and therefore the trained artefact, are reproducible).
     */
    static Encoder open(int threads) {
        try (InputStream model = resource("/" + MODEL + ".onnx");
                InputStream tok = resource("/" + MODEL + "-tokenizer.json")) {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            OrtSession.SessionOptions options = new OrtSession.SessionOptions();
            options.setIntraOpNumThreads(Math.max(1, threads));
            options.setInterOpNumThreads(1);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            // ONNX Runtime's workers spin while they wait for work; on a shared 2-core gateway
            // that burns the core the request threads need.
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            OrtSession session = env.createSession(model.readAllBytes(), options);
            Map<String, String> tokenizerOptions = new HashMap<>();
            tokenizerOptions.put("truncation", "true");
            tokenizerOptions.put("maxLength", Integer.toString(WINDOW_TOKENS));
            tokenizerOptions.put("stride", Integer.toString(STRIDE));
            tokenizerOptions.put("withOverflowingTokens", "true");
            tokenizerOptions.put("padding", "false");
            tokenizerOptions.put("addSpecialTokens", "true");
            return new Encoder(env, session, HuggingFaceTokenizer.newInstance(tok, tokenizerOptions));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the embedding model " + MODEL, e);
        } catch (OrtException e) {
            throw new IllegalStateException("cannot start ONNX Runtime for " + MODEL + ": " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = Encoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path (langchain4j-embeddings-" + MODEL + ")");
        }
        return in;
    }

    /** One token window of a text: its token ids and the characters [start, end) it covers. */
    record Window(long[] ids, int start, int end) {}

    /**
     * Cuts {@code text} (a region starting at {@code offset} of a part) into at most {@code max}
     * windows; offsets are shifted by {@code offset}. Text with no token yields no window.
     */
    List<Window> windows(String text, int offset, int max) {
        List<Window> out = new ArrayList<>();
        if (text.isBlank() || max <= 0) {
            return out;
        }
        String clean = wellFormed(text);
        Encoding first = tokenizer.encode(clean);
        int[] chars = charOffsets(clean);
        add(first, chars, offset, out, max);
        for (Encoding e : first.getOverflowing()) {
            add(e, chars, offset, out, max);
        }
        return out;
    }

    /**
     * {@code text} with each lone surrogate and NUL replaced by one character of the same length,
     * so the native tokenizer receives well-formed text and its offsets map back one to one.
     */
    static String wellFormed(String text) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pairHigh = Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pairHigh) {
                i++;
                continue;
            }
            if (Character.isSurrogate(c) || c == 0) {
                if (sb == null) {
                    sb = new StringBuilder(text);
                }
                sb.setCharAt(i, c == 0 ? ' ' : '\uFFFD');
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * The tokenizer's spans count code points: {@code result[k]} is the char index of code point
     * {@code k}, the last element the text's length.
     */
    static int[] charOffsets(String text) {
        int[] out = new int[text.codePointCount(0, text.length()) + 1];
        int k = 0;
        for (int i = 0; i < text.length(); i += Character.charCount(text.codePointAt(i))) {
            out[k++] = i;
        }
        out[k] = text.length();
        return out;
    }

    private static void add(Encoding e, int[] chars, int offset, List<Window> out, int max) {
        if (out.size() >= max) {
            return;
        }
        long[] ids = e.getIds();
        long[] special = e.getSpecialTokenMask();
        CharSpan[] spans = e.getCharTokenSpans();
        int start = Integer.MAX_VALUE;
        int end = -1;
        for (int i = 0; i < ids.length; i++) {
            if (special[i] == 0 && spans[i] != null) {
                start = Math.min(start, spans[i].getStart());
                end = Math.max(end, spans[i].getEnd());
            }
        }
        if (end >= 0) {
            int last = chars.length - 1;
            out.add(new Window(ids, offset + chars[Math.min(start, last)], offset + chars[Math.min(end, last)]));
        }
    }

    /** The embeddings of {@code windows}, in order. */
    float[][] embed(List<Window> windows) {
        float[][] out = new float[windows.size()][];
        for (int from = 0; from < windows.size(); from += BATCH) {
            List<Window> batch = windows.subList(from, Math.min(windows.size(), from + BATCH));
            float[][] e = run(batch);
            System.arraycopy(e, 0, out, from, e.length);
        }
        return out;
    }

    private float[][] run(List<Window> batch) {
        int n = batch.size();
        int len = batch.stream().mapToInt(w -> w.ids().length).max().orElse(0);
        // One flat buffer per input, filled in place: no per-window arrays and no boxed tensors.
        LongBuffer ids = LongBuffer.allocate(n * len);
        LongBuffer mask = LongBuffer.allocate(n * len);
        for (int b = 0; b < n; b++) {
            long[] w = batch.get(b).ids();
            for (int t = 0; t < len; t++) {
                ids.put(t < w.length ? w[t] : 0L);
                mask.put(t < w.length ? 1L : 0L);
            }
        }
        ids.flip();
        mask.flip();
        long[] shape = {n, len};
        Map<String, OnnxTensor> inputs = new HashMap<>();
        try {
            inputs.put("input_ids", OnnxTensor.createTensor(environment, ids, shape));
            inputs.put("attention_mask", OnnxTensor.createTensor(environment, mask, shape));
            if (typeIds) {
                inputs.put("token_type_ids", OnnxTensor.createTensor(environment, LongBuffer.allocate(n * len), shape));
            }
            try (OrtSession.Result result = session.run(inputs)) {
                // Read the token vectors from the output buffer directly instead of as float[n][len][384].
                FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
                float[][] out = new float[n][];
                for (int b = 0; b < n; b++) {
                    out[b] = meanPool(hidden, b * len * DIMENSION, batch.get(b).ids().length);
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("the embedding model failed: " + e.getMessage(), e);
        } finally {
            inputs.values().forEach(OnnxTensor::close);
        }
    }

    /** The mean of {@code length} token vectors starting at {@code from}, L2-normalised. */
    private static float[] meanPool(FloatBuffer tokens, int from, int length) {
        float[] v = new float[DIMENSION];
        for (int t = 0; t < length; t++) {
            int base = from + t * DIMENSION;
            for (int d = 0; d < DIMENSION; d++) {
                v[d] += tokens.get(base + d);
            }
        }
        double norm = 0;
        for (int d = 0; d < DIMENSION; d++) {
            v[d] /= length;
            norm += (double) v[d] * v[d];
        }
        float scale = norm == 0 ? 0f : (float) (1 / Math.sqrt(norm));
        for (int d = 0; d < DIMENSION; d++) {
            v[d] *= scale;
        }
        return v;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            // Closing releases native memory; a failure here leaves nothing for the caller to do.
        }
        tokenizer.close();
    }
}
