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
     * Overwrites each tensor of {@code target} with the array of the same name in {@code source}. Every
     * value must be finite: weights or optimizer state holding NaN or an infinity come from a diverged run
     * or a damaged file, and would make every result computed from them meaningless.
     *
     * @param target the tensors to overwrite, by name
     * @param arrays the values to load, by name; exactly {@code target}'s names and shapes
     * @param source names the file in messages
     * @param what   names the receiver in messages ("model linear(64->10)", "optimizer")
     * @throws DataFormatException one line listing the missing, unexpected and mis-shaped names, or naming
     *                             the first tensor holding a non-finite value
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
     * {@link #load} needs), before anything is allocated for them, and that every value is finite.
     *
     * @param shapes the expected shape of each name, e.g. {@link dev.jgrad.nn.Module#stateShapes()}
     * @param arrays the values read, by name
     * @param source names the file in messages
     * @param what   names the receiver in messages ("model linear(64->10)", "optimizer")
     * @throws DataFormatException one line listing the missing, unexpected and mis-shaped names, or naming
     *                             the first tensor holding a non-finite value
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
        requireFinite(arrays, source);
    }

    /**
     * About how many bytes a safetensors file of these tensors takes (data plus a generous header), for
     * checking free space before a run; the states' tensors need not be on the host.
     *
     * @param states named tensors (a model's, an optimizer's state dict)
     * @return an upper estimate of the file's size in bytes
     */
    @SafeVarargs
    public static long fileBytes(Map<String, Tensor>... states) {
        long bytes = 64 * 1024;
        for (Map<String, Tensor> state : states) {
            for (Map.Entry<String, Tensor> e : state.entrySet()) bytes += 4L * e.getValue().size() + 256 + e.getKey().length();
        }
        return bytes;
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

    /**
     * Throws a {@link DataFormatException} naming the first tensor (in map order), the index and the value
     * when any value is NaN or infinite.
     *
     * @param arrays the values to check, by name
     * @param source names the file in the message
     * @throws DataFormatException when a value is NaN or infinite
     */
    public static void requireFinite(Map<String, HostArray> arrays, String source) throws DataFormatException {
        for (Map.Entry<String, HostArray> e : arrays.entrySet()) {
            float[] v = e.getValue().values();
            for (int i = 0; i < v.length; i++) {
                if (!Float.isFinite(v[i])) {
                    throw new DataFormatException(source + ": tensor \"" + e.getKey() + "\" holds " + v[i] + " at index " + i
                            + ": weights that are not finite come from a diverged run or a damaged file and are not loaded");
                }
            }
        }
    }

    private static String list(List<String> names) {
        int shown = Math.min(names.size(), 4);
        String head = String.join(", ", names.subList(0, shown));
        return names.size() > shown ? head + " and " + (names.size() - shown) + " more" : head;
    }
}
