package dev.jgrad.cli;

import dev.jgrad.device.DeviceOutOfMemoryException;
import dev.jgrad.device.DeviceUnavailableException;
import dev.jgrad.train.TrainingDivergedException;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * How the CLI fails: one line naming the thing and the problem, and an exit code: 2 for bad input (a flag,
 * a file, a device that is not there, training that diverged with the given settings), 1 for internal
 * failures. Stack traces only with {@code --verbose}.
 */
final class Errors {
    static final int BAD_INPUT = 2;
    static final int FAILURE = 1;

    private Errors() {}

    static int onBadArguments(ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("jgrad: " + oneLine(e.getMessage()) + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (verbose(cmd)) e.printStackTrace(cmd.getErr());
        return BAD_INPUT;
    }

    static int onFailure(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
        boolean badInput = cause instanceof IllegalArgumentException || cause instanceof IOException
                || cause instanceof DeviceUnavailableException || cause instanceof UserInputException
                || cause instanceof TrainingDivergedException;
        String message = cause instanceof NoSuchFileException nf ? nf.getFile() + ": no such file"
                : cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // failures whose message already says what happened and what to do: no class name, no stack trace hint
        boolean explained = cause instanceof TrainingDivergedException || cause instanceof DeviceOutOfMemoryException;
        if (!badInput && !explained) message = cause.getClass().getSimpleName() + ": " + message;
        cmd.getErr().println("jgrad: " + oneLine(message));
        if (verbose(cmd)) cause.printStackTrace(cmd.getErr());
        else if (!badInput && !explained) cmd.getErr().println("jgrad: run again with --verbose for the stack trace");
        return badInput ? BAD_INPUT : FAILURE;
    }

    private static boolean verbose(CommandLine cmd) {
        CommandLine c = cmd;
        while (c.getParent() != null) c = c.getParent();
        return c.getCommand() instanceof Main m && m.verbose;
    }

    static String oneLine(String s) {
        return s == null ? "" : s.lines().findFirst().orElse("").trim();
    }

    /** A problem with what the user asked for, already phrased for them. */
    static final class UserInputException extends RuntimeException {
        UserInputException(String message) {
            super(message);
        }
    }
}
