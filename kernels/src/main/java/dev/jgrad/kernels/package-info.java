/**
 * Internal (shared by the GPU backends). The kernel sources written once for OpenCL and CUDA, and the launch logic both GPU backends share
 * ({@link dev.jgrad.kernels.KernelDevice}). Not for applications.
 */
package dev.jgrad.kernels;
