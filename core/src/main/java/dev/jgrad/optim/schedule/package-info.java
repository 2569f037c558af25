/**
 * API. Learning-rate schedules: step, exponential, cosine annealing and linear warm-up.
 */
package dev.jgrad.optim.schedule;
