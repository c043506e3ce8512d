package dev.clearance.classify;

/**
 * One labelled example the heads are trained from: a prompt or a conversation, with its
 * sub-capability (positives) or topic (negatives), and where it was written.
 */
public record Exemplar(Input input, String label, String file, int line) {}
