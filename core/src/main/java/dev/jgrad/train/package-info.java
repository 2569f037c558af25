/**
 * API. The training loop ({@link dev.jgrad.train.Trainer}) with its listeners, evaluation, early
 * stopping and divergence guard.
 */
package dev.jgrad.train;
