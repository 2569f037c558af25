/**
 * API. The training loop ({@link dev.jgrad.train.Trainer}) for each {@link dev.jgrad.train.Task}, with
 * its loss functions, listeners, evaluation, prediction, early stopping and divergence guard.
 */
package dev.jgrad.train;
