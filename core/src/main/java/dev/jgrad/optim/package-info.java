/**
 * API. Optimizers (SGD, Adam, AdamW, RMSprop, Adagrad), gradient clipping and L1/L2 penalties.
 */
package dev.jgrad.optim;
