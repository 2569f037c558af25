/**
 * API. Metrics: the confusion matrix, regression and multi-label metrics.
 */
package dev.jgrad.metrics;
