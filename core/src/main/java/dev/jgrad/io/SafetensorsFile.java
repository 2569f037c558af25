package dev.jgrad.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The contents of a safetensors file: named tensors (in file order) and the string-to-string
 * {@code __metadata__} map.
 *
 * @param tensors  the tensors by name, in file order (copied into an unmodifiable map)
 * @param metadata the {@code __metadata__} entries (copied into an unmodifiable map); empty when absent
 */
public record SafetensorsFile(Map<String, HostArray> tensors, Map<String, String> metadata) {
    /** Copies both maps, in their order, into unmodifiable ones. */
    public SafetensorsFile {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }
}
