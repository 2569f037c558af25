package dev.jgrad.io;

import dev.jgrad.data.DataFormatException;
import dev.jgrad.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Moves named tensors (a module's or an optimizer's {@code stateDict()}) between a device and host arrays,
 * with PyTorch {@code load_state_dict(strict=True)} checks: the names must match exactly and every shape
 * must agree, and nothing is copied unless everything fits.
 */
public final class StateDicts {
    private StateDicts() {}

    /**
     * Copies every tensor to the host, keeping the names and their order.
     *
     * @param state named tensors, e.g. {@link dev.jgrad.nn.Module#stateDict()}
     * @return their values, by the same names, in the same order
     */
    public static Map<String, HostArray> toHost(Map<String, Tensor> state) {
        Map<String, HostArray> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : state.entrySet()) out.put(e.getKey(), new HostArray(e.getValue().shape(), e.getValue().toArray()));
        return out;
    }

    /**
     * Overwrites each tensor of {@code target} with the array of the same name in {@code source}.
     *
     * @param target the tensors to overwrite, by name
     * @param arrays the values to load, by name; exactly {@code target}'s names and shapes
     * @param source names the file in messages
     * @param what   names the receiver in messages ("model linear(64->10)", "optimizer")
     * @throws DataFormatException one line listing the missing, unexpected and mis-shaped names
     */
    public static void load(Map<String, Tensor> target, Map<String, HostArray> arrays, String source, String what)
            throws DataFormatException {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        target.forEach((name, t) -> shapes.put(name, t.shape()));
        check(shapes, arrays, source, what);
        for (Map.Entry<String, Tensor> e : target.entrySet()) e.getValue().copyFrom(arrays.get(e.getKey()).values());
    }

    /**
     * Checks that {@code arrays} has exactly the names of {@code shapes} with those shapes (what
     * {@link #load} needs), before anything is allocated for them.
     *
     * @throws DataFormatException one line listing the missing, unexpected and mis-shaped names
     */
    public static void check(Map<String, int[]> shapes, Map<String, HostArray> arrays, String source, String what)
            throws DataFormatException {
        List<String> missing = new ArrayList<>();
        List<String> misShaped = new ArrayList<>();
        for (Map.Entry<String, int[]> e : shapes.entrySet()) {
            HostArray a = arrays.get(e.getKey());
            if (a == null) missing.add(e.getKey());
            else if (!Arrays.equals(a.shape(), e.getValue())) {
                misShaped.add(e.getKey() + " is " + a.shapeString() + " in the file but " + Arrays.toString(e.getValue()) + " in the " + what);
            }
        }
        List<String> unexpected = new ArrayList<>();
        for (String name : arrays.keySet()) if (!shapes.containsKey(name)) unexpected.add(name);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !misShaped.isEmpty()) {
            List<String> parts = new ArrayList<>();
            if (!missing.isEmpty()) parts.add("missing " + list(missing));
            if (!unexpected.isEmpty()) parts.add("unexpected " + list(unexpected));
            if (!misShaped.isEmpty()) parts.add(list(misShaped));
            throw new DataFormatException(source + ": does not fit the " + what + ": " + String.join("; ", parts));
        }
    }

    /**
     * Finds a non-finite value.
     *
     * @param arrays named arrays
     * @return the first name (in map order) whose values include NaN or an infinity, or null when all are finite
     */
    public static String firstNonFinite(Map<String, HostArray> arrays) {
        for (Map.Entry<String, HostArray> e : arrays.entrySet()) {
            for (float v : e.getValue().values()) if (!Float.isFinite(v)) return e.getKey();
        }
        return null;
    }

    private static String list(List<String> names) {
        int shown = Math.min(names.size(), 4);
        String head = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? head + " and " + (names.size() - shown) + " more" : head;
    }
}
