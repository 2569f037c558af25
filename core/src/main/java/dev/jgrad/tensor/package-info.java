/**
 * API. Tensors on a device, with PyTorch's autograd bookkeeping, and the {@link dev.jgrad.tensor.Scope}
 * that recycles a training step's memory.
 */
package dev.jgrad.tensor;
