package dev.jgrad.data;

/**
 * Labels that leave classes without a single example below the largest label, as one stray label (a 200
 * among digits 0 to 9) does: inferred from the labels, the class count would be the stray label + 1 and the
 * model would get an output for every missing class. Either the label is wrong, or the data really has
 * {@link #suggestedClasses()} classes and the caller says so by giving the class count explicitly.
 */
public class LabelGapException extends DataFormatException {
    private final int suggestedClasses;

    public LabelGapException(String message, int suggestedClasses) {
        super(message);
        this.suggestedClasses = suggestedClasses;
    }

    /** The class count the labels would give (largest label + 1), to state explicitly if it is right. */
    public int suggestedClasses() {
        return suggestedClasses;
    }
}
