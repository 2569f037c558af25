package dev.jgrad.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code jgrad}: the command-line tool. Each subcommand is its own class. */
@Command(name = "jgrad", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Trains neural networks by backpropagation on the CPU, CUDA or OpenCL.",
        subcommands = {DevicesCommand.class, TrainCommand.class, EvalCommand.class, PredictCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements java.util.concurrent.Callable<Integer> {

    @Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Print stack traces of errors, and more detail.")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 ok, 1 internal failure, 2 bad input, 130 interrupted), for tests and main. */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setParameterExceptionHandler(Errors::onBadArguments);
        cli.setExecutionExceptionHandler(Errors::onFailure);
        return cli;
    }

    /** {@code jgrad} without a command did nothing it was asked to: the usage goes to stderr and the exit is 2. */
    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return Errors.BAD_INPUT;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[]{"jgrad " + (v == null ? "(development build)" : v) + " on Java " + Runtime.version()};
        }
    }
}
