package dev.clearance.classify;

/**
 * One training chunk: which exemplar it comes from ({@code group}), the capability the exemplar
 * belongs to ({@code origin}; empty for negatives that hold for every capability), whether it is
 * a positive of that capability, and its features.
 */
record Sample(int group, String origin, boolean positive, float[] embedding, int[] buckets) {}
