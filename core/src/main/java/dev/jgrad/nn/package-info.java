/**
 * API. Layers and containers in PyTorch's vocabulary ({@link dev.jgrad.nn.Sequential},
 * {@link dev.jgrad.nn.Linear}, {@link dev.jgrad.nn.Conv2d}, ...), and the model-description language.
 */
package dev.jgrad.nn;
