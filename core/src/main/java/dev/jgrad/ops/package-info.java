/**
 * API. Functional ops on tensors, each with its backward pass: what the methods of
 * {@link dev.jgrad.tensor.Tensor} and the layers of {@code dev.jgrad.nn} call, and the losses
 * ({@link dev.jgrad.ops.Loss}) a hand-written training loop uses.
 */
package dev.jgrad.ops;
