package dev.jgrad.train;

/** Loss and accuracy of a model on a dataset, with its predictions (arg-max class per example). */
public record Evaluation(double loss, double accuracy, int[] predictions, int[] labels) {}
