/**
 * API. Datasets: IDX and CSV readers, the embedded digits set, and train/test splits.
 */
package dev.jgrad.data;
