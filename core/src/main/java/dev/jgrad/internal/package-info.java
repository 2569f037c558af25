/**
 * Internal. Core's machinery that the API and SPI packages share: the per-device memory pool and the
 * backward pass. Neither applications nor backends use it; it may change in any release.
 */
package dev.jgrad.internal;
