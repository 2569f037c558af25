package dev.jgrad.cli;

import dev.jgrad.train.StopSignal;
import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * SIGINT (Ctrl-C) and SIGTERM while training: the first raises the trainer's {@link StopSignal}, so the
 * step in progress finishes and the run stops cleanly (checkpoint, partial model, how to resume); a second
 * one quits at once. Files are written atomically, so quitting at once leaves no half-written file, only
 * a temporary one that the next run removes. Closing puts the previous handlers back.
 */
final class Interrupts implements AutoCloseable {
    static final int EXIT_CODE = 130;

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();
    private volatile int received;

    private Interrupts() {}

    static Interrupts install(StopSignal stop, PrintStream err) {
        Interrupts irq = new Interrupts();
        SignalHandler handler = sig -> {
            if (irq.received++ == 0) {
                stop.request();
                err.println("jgrad: SIG" + sig.getName() + ": stopping after the current step (press Ctrl-C again to quit at once)");
            } else {
                err.println("jgrad: SIG" + sig.getName() + " again: quitting at once (files already written are complete)");
                err.flush();
                Runtime.getRuntime().halt(EXIT_CODE);
            }
        };
        for (String name : new String[]{"INT", "TERM"}) {
            try {
                Signal s = new Signal(name);
                irq.previous.add(Signal.handle(s, handler));
                irq.signals.add(s);
            } catch (IllegalArgumentException e) {
                // the JVM keeps this signal (-Xrs) or the platform has none: the default handling stays
            }
        }
        return irq;
    }

    @Override
    public void close() {
        // A handler the JVM installed natively comes back as null, or as a wrapper of null that Signal.handle
        // refuses with a NullPointerException: the system default then (end the process).
        for (int i = 0; i < signals.size(); i++) {
            SignalHandler before = previous.get(i);
            try {
                Signal.handle(signals.get(i), before != null ? before : SignalHandler.SIG_DFL);
            } catch (NullPointerException nativeHandler) {
                Signal.handle(signals.get(i), SignalHandler.SIG_DFL);
            }
        }
    }
}
