/**
 * API. Grad mode ({@link dev.jgrad.autograd.GradMode}, PyTorch's {@code no_grad}) and the recorded op
 * of a tensor's history ({@link dev.jgrad.autograd.Node}), which a custom op subclasses.
 */
package dev.jgrad.autograd;
