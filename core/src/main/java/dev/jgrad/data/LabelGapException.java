package dev.jgrad.data;

/**
 * Labels that leave classes without a single example below the largest label, as one stray label (a 200
 * among digits 0 to 9) does: inferred from the labels, the class count would be the stray label + 1 and the
 * model would get an output for every missing class. Either the label is wrong, or the data really has
 * {@link #suggestedClasses()} classes and the caller says so by giving the class count explicitly.
 */
public class LabelGapException extends DataFormatException {
    /** The largest label + 1. */
    private final int suggestedClasses;

    /**
     * A gap in the labels.
     *
     * @param message          the one-line message naming the data, where the largest label is, and the gap
     * @param suggestedClasses the largest label + 1
     */
    public LabelGapException(String message, int suggestedClasses) {
        super(message);
        this.suggestedClasses = suggestedClasses;
    }

    /**
     * The class count the labels would give, to state explicitly if it is right.
     *
     * @return the largest label + 1
     */
    public int suggestedClasses() {
        return suggestedClasses;
    }
}
