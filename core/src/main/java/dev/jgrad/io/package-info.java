/**
 * API. Saving and loading: safetensors files, model files, checkpoints, and writing files atomically.
 */
package dev.jgrad.io;
