package org.diffeomotion.trainer.cli;

import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.Properties;
import org.diffeomotion.model.ModelFormatException;
import org.diffeomotion.trainer.data.DemoDataException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code diffeo} command line: {@code train}, {@code evaluate}, {@code inspect}, {@code
 * rollout}, {@code benchmark-data} (trainer/CLI.md).
 *
 * <p>Exit codes: 0 success; 1 bad data, model file or I/O (message names the file and field, no
 * stack trace); 2 bad arguments (message and usage); 3 internal error (stack trace: a bug).
 */
@Command(
    name = "diffeo",
    mixinStandardHelpOptions = true,
    versionProvider = DiffeoCli.Version.class,
    subcommands = {
      TrainCommand.class,
      EvaluateCommand.class,
      InspectCommand.class,
      RolloutCommand.class,
      BenchmarkDataCommand.class,
      CommandLine.HelpCommand.class
    },
    description =
        "Learns stable motions from demonstrations (ROS bags, CSV) and evaluates the models.",
    footer = {
      "",
      "Exit codes: 0 ok, 1 bad data/model/file, 2 bad arguments, 3 internal error.",
      "See trainer/CLI.md."
    })
public final class DiffeoCli implements Runnable {

  /** Exit code for unusable data, model files and I/O problems. */
  public static final int EXIT_DATA = 1;

  /** Exit code for bad arguments (picocli's usage code). */
  public static final int EXIT_USAGE = CommandLine.ExitCode.USAGE;

  /** Exit code for bugs. */
  public static final int EXIT_INTERNAL = 3;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new ParameterException(
        spec.commandLine(), "missing command: train, evaluate, inspect, rollout or benchmark-data");
  }

  public static void main(String[] args) {
    // The engine and the data readers log through SLF4J; a CLI shows warnings only, unless asked.
    if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
      System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showThreadName", "false");
    System.setProperty("org.slf4j.simpleLogger.levelInBrackets", "true");
    PrintWriter out = new PrintWriter(System.out, true);
    PrintWriter err = new PrintWriter(System.err, true);
    int code = execute(args, out, err, System.console() != null);
    code = checkOutput(code, out.checkError() || System.out.checkError(), err);
    err.flush();
    System.exit(code);
  }

  /**
   * A command whose output could not be written (stdout on a full disk, a closed pipe) has not done
   * its job: exit 1 with a message, never 0. PrintStream and PrintWriter swallow write errors, so
   * this is checked once at the end.
   */
  static int checkOutput(int code, boolean outputFailed, PrintWriter err) {
    if (outputFailed && code == 0) {
      err.println(
          "diffeo: error: writing to standard output failed (disk full, or the "
              + "reading end of the pipe was closed); the output is incomplete");
      return EXIT_DATA;
    }
    return code;
  }

  /**
   * Runs one command line in process (what {@link #main} does, without exiting).
   *
   * @param terminal whether out is an interactive terminal (progress on one rewritten line).
   * @return the exit code
   */
  public static int execute(String[] args, PrintWriter out, PrintWriter err, boolean terminal) {
    return commandLine(out, err, terminal).execute(args);
  }

  /** The configured picocli command line, for tests and embedding. */
  public static CommandLine commandLine(PrintWriter out, PrintWriter err, boolean terminal) {
    CommandLine cl = new CommandLine(new DiffeoCli());
    cl.setOut(out);
    cl.setErr(err);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setUsageHelpAutoWidth(true);
    cl.setParameterExceptionHandler(DiffeoCli::usageError);
    cl.setExecutionExceptionHandler((ex, line, parseResult) -> handle(ex, line, err));
    for (CommandLine sub : cl.getSubcommands().values()) {
      if (sub.getCommand() instanceof TerminalAware t) {
        t.setTerminal(terminal);
      }
    }
    return cl;
  }

  /** Bad arguments: the problem, picocli's suggestions for a mistyped option, then the usage. */
  private static int usageError(ParameterException ex, String[] args) {
    CommandLine line = ex.getCommandLine();
    PrintWriter err = line.getErr();
    err.println(line.getCommandName() + ": " + ex.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
    line.usage(err, line.getColorScheme());
    return EXIT_USAGE;
  }

  private static int handle(Exception ex, CommandLine line, PrintWriter err) {
    String cmd = line.getCommandName();
    if (ex instanceof ParameterException pe) {
      err.println(cmd + ": " + pe.getMessage());
      pe.getCommandLine().usage(err);
      return EXIT_USAGE;
    }
    if (ex instanceof ModelFormatException mfe) {
      err.println(cmd + ": error: " + mfe.getMessage());
      return EXIT_DATA;
    }
    if (ex instanceof DemoDataException || ex instanceof UserException) {
      err.println(cmd + ": error: " + ex.getMessage());
      return EXIT_DATA;
    }
    if (ex instanceof NoSuchFileException) {
      err.println(cmd + ": error: " + ex.getMessage() + ": file not found");
      return EXIT_DATA;
    }
    if (ex instanceof AccessDeniedException) {
      err.println(cmd + ": error: " + ex.getMessage() + ": permission denied");
      return EXIT_DATA;
    }
    if (ex instanceof java.nio.file.FileAlreadyExistsException fe) {
      err.println(
          cmd
              + ": error: "
              + fe.getFile()
              + ": exists and is not a directory"
              + (fe.getReason() != null ? " (" + fe.getReason() + ")" : ""));
      return EXIT_DATA;
    }
    if (ex instanceof java.nio.file.FileSystemException fse) {
      // "file: reason" (or "link -> target: reason"), without the exception's class name.
      err.println(cmd + ": error: " + fse.getMessage());
      return EXIT_DATA;
    }
    if (ex instanceof java.io.IOException) {
      err.println(cmd + ": error: " + (ex.getMessage() != null ? ex.getMessage() : ex.toString()));
      return EXIT_DATA;
    }
    err.println(cmd + ": internal error (please report with the command line):");
    ex.printStackTrace(err);
    return EXIT_INTERNAL;
  }

  /** A problem the user can fix, shown as is (exit code 1). */
  public static final class UserException extends Exception {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
      super(message);
    }

    public UserException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Commands that show progress differently on a terminal. */
  interface TerminalAware {
    void setTerminal(boolean terminal);
  }

  /** The trainer's version and backend library version, from the build. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in =
          org.diffeomotion.trainer.fit.Trainer.class.getResourceAsStream("build.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (java.io.IOException e) {
        // Shown as "unknown" below.
      }
      return new String[] {
        "diffeo-motion " + p.getProperty("version", "unknown"),
        "ND4J "
            + p.getProperty("nd4j.version", "unknown")
            + ", Java "
            + System.getProperty("java.version"),
      };
    }
  }
}
