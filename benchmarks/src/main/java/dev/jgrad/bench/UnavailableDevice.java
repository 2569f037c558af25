package dev.jgrad.bench;

/** A device that was asked for (or found) but could not be benched, with the one-line reason. */
public record UnavailableDevice(String device, String reason) {}
