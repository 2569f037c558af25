/**
 * Internal (the command-line tool). The {@code jgrad} command-line tool: it maps flags to the library's API. Not a library API.
 */
package dev.jgrad.cli;
