/**
 * API. Classification metrics.
 */
package dev.jgrad.metrics;
