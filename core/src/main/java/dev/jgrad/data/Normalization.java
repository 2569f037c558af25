package dev.jgrad.data;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The standardization of a model's inputs and (for regression) targets, fitted on the training split only
 * and kept with the model, so that evaluation and prediction see data in the units training saw and report
 * results in the original units. Either part may be absent (null).
 *
 * @param features standardizes the features, or null
 * @param targets  standardizes value targets (regression), or null
 */
public record Normalization(Standardizer features, Standardizer targets) {
    /** No standardization. */
    public static final Normalization NONE = new Normalization(null, null);

    private static final String FEATURES_MEAN = "jgrad.standardize.features.mean";
    private static final String FEATURES_STD = "jgrad.standardize.features.std";
    private static final String TARGETS_MEAN = "jgrad.standardize.targets.mean";
    private static final String TARGETS_STD = "jgrad.standardize.targets.std";

    /**
     * Fits on {@code train} (the training split, never the test set): its features when {@code features},
     * its targets when {@code targets} and they are values (class labels and absent targets are never scaled).
     *
     * @param train    the training split
     * @param features whether to standardize the features
     * @param targets  whether to standardize value targets
     * @return the fitted normalization
     */
    public static Normalization fit(Dataset train, boolean features, boolean targets) {
        Standardizer f = features ? Standardizer.fit(train.features(), train.featureCount()) : null;
        Standardizer t = targets && train.targets() instanceof Targets.Values v ? Standardizer.fit(v.values(), v.width()) : null;
        return new Normalization(f, t);
    }

    /** {@return whether this standardizes nothing} */
    public boolean isNone() {
        return features == null && targets == null;
    }

    /**
     * Standardizes a dataset.
     *
     * @param data the dataset, in original units
     * @return {@code data} with its features and value targets standardized (the same object when there is
     *         nothing to do)
     */
    public Dataset apply(Dataset data) {
        if (isNone()) return data;
        if (features != null && features.width() != data.featureCount()) {
            throw new IllegalArgumentException(data.name() + " has " + data.featureCount() + " features; the normalization was fitted on "
                    + features.width());
        }
        float[] x = features == null ? data.features() : features.transform(data.features());
        Targets t = data.targets();
        if (targets != null && t instanceof Targets.Values v) {
            if (v.width() != targets.width()) {
                throw new IllegalArgumentException(data.name() + " has " + v.width() + " targets per example; the normalization was fitted on "
                        + targets.width());
            }
            t = new Targets.Values(targets.transform(v.values()), v.width());
        }
        return new Dataset(data.name(), x, data.size(), data.featureCount(), t);
    }

    /**
     * Standardizes raw feature rows.
     *
     * @param rows [rows, features] row-major, in original units
     * @return the rows in the units the model was trained on (a copy, or the same array)
     */
    public float[] features(float[] rows) {
        return features == null ? rows : features.transform(rows);
    }

    /**
     * Turns a regression model's outputs back into the targets' units.
     *
     * @param outputs [rows, width] row-major, in standardized units
     * @return the outputs in the targets' original units (a copy, or the same array)
     */
    public float[] targetsToOriginal(float[] outputs) {
        return targets == null ? outputs : targets.inverse(outputs);
    }

    /**
     * Turns an autoencoder's outputs, which reproduce the standardized features, back into the features' units.
     *
     * @param outputs [rows, features] row-major, in standardized units
     * @return the outputs in the features' original units (a copy, or the same array)
     */
    public float[] featuresToOriginal(float[] outputs) {
        return features == null ? outputs : features.inverse(outputs);
    }

    /** {@return the statistics as safetensors metadata entries (comma-separated floats that read back exactly)} */
    public Map<String, String> metadata() {
        Map<String, String> m = new LinkedHashMap<>();
        if (features != null) {
            m.put(FEATURES_MEAN, join(features.mean()));
            m.put(FEATURES_STD, join(features.std()));
        }
        if (targets != null) {
            m.put(TARGETS_MEAN, join(targets.mean()));
            m.put(TARGETS_STD, join(targets.std()));
        }
        return m;
    }

    /**
     * Reads what {@link #metadata()} wrote.
     *
     * @param meta   a model file's metadata; absent entries mean no standardization
     * @param source names the file in errors
     * @return the normalization
     * @throws DataFormatException when an entry is malformed
     */
    public static Normalization fromMetadata(Map<String, String> meta, String source) throws DataFormatException {
        return new Normalization(read(meta, FEATURES_MEAN, FEATURES_STD, source), read(meta, TARGETS_MEAN, TARGETS_STD, source));
    }

    private static Standardizer read(Map<String, String> meta, String meanKey, String stdKey, String source) throws DataFormatException {
        String mean = meta.get(meanKey);
        String std = meta.get(stdKey);
        if (mean == null && std == null) return null;
        if (mean == null || std == null) {
            throw new DataFormatException(source + ": metadata has " + (mean == null ? stdKey : meanKey) + " without "
                    + (mean == null ? meanKey : stdKey));
        }
        try {
            return new Standardizer(floats(mean), floats(std));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(source + ": metadata " + meanKey + "/" + stdKey + ": " + e.getMessage());
        }
    }

    private static String join(float[] values) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < values.length; i++) s.append(i == 0 ? "" : ",").append(values[i]);
        return s.toString();
    }

    private static float[] floats(String text) {
        String[] parts = text.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("value " + (i + 1) + " '" + parts[i] + "' is not a number");
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Normalization[features %s, targets %s]", features == null ? "as they are" : "standardized",
                targets == null ? "as they are" : "standardized");
    }
}
