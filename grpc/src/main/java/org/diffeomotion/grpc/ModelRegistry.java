package org.diffeomotion.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.ModelFormatException;
import org.diffeomotion.model.MotionModel;
import org.diffeomotion.model.Precision;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The models being served, loaded only from one model directory.
 *
 * <p>Readers ({@link #get}, {@link #list}) see an immutable snapshot through an {@link
 * AtomicReference} and never block. A load reads, checks and validates the whole file, and builds
 * the new {@link ServedModel}, before it swaps a new snapshot in; a failed load throws and leaves
 * the served models untouched. Loads are serialized with each other.
 *
 * <p>Paths are relative to the directory: absolute paths, {@code ..} segments and symbolic links
 * whose target lies outside the directory are refused ({@link
 * ModelLoadException.Reason#OUTSIDE_DIRECTORY}).
 *
 * <p>Every model is served in the registry's {@link Precision} (fixed when it is opened; default
 * {@link Precision#DOUBLE}): its requests' rollouts and velocities evaluate the coupling networks
 * in that precision. A model that cannot be evaluated in float is refused at load with {@link
 * ModelLoadException.Reason#INVALID_MODEL} (under {@link Precision#FLOAT}).
 */
public final class ModelRegistry {
  /** The file name ending of model files, as the trainer writes them. */
  public static final String MODEL_FILE_SUFFIX = ".dmm";

  private static final Logger log = LoggerFactory.getLogger(ModelRegistry.class);

  /** Loaded model names: a ROS-friendly identifier, 1..128 characters. */
  private static final String NAME_PATTERN = "[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,127}";

  private final Path directory;
  private final Precision precision;
  private final AtomicReference<Map<String, ServedModel>> models = new AtomicReference<>(Map.of());
  private final Object loadLock = new Object();
  private long generation;

  /** [s]; 0 = no warm-up ({@link #warmup(double)}). */
  private volatile double warmupSeconds;

  /** The running warm-up thread (the last load's), or null; guarded by loadLock. */
  private Thread warming;

  private ModelRegistry(Path directory, Precision precision) {
    this.directory = directory;
    this.precision = precision;
  }

  /**
   * A registry serving nothing yet from {@code directory}, which must exist. The directory's real
   * path (symbolic links resolved) is the boundary every load is checked against.
   */
  public static ModelRegistry open(Path directory) throws IOException {
    return open(directory, Precision.DOUBLE);
  }

  /**
   * As {@link #open(Path)}, serving every model in {@code precision} (the standalone server's
   * {@code --precision}, the node's {@code ~precision}).
   */
  public static ModelRegistry open(Path directory, Precision precision) throws IOException {
    java.util.Objects.requireNonNull(precision, "precision");
    Path real = directory.toRealPath();
    if (!Files.isDirectory(real)) {
      throw new IOException("model directory " + directory + " is not a directory");
    }
    return new ModelRegistry(real, precision);
  }

  /**
   * Warms up every model loaded from now on for {@code seconds} [s] on a background thread of
   * minimum priority ({@link org.diffeomotion.model.Warmup}): its rollouts and velocity queries in
   * the registry's precision, so that the JIT has compiled them before the first requests pay for
   * it (in a fresh JVM a first float rollout costs ~1 s; the load-time calibration covers only 150
   * ms). The model is served meanwhile, and each warm-up rollout also tightens the model's deadline
   * bound. One warm-up runs at a time: a new load stops the previous one (the compiled code is
   * shared by every model). Default 0 (off): the standalone server turns it on ({@code --warmup});
   * the ROS node warms up its model itself.
   *
   * @return this registry
   * @throws IllegalArgumentException outside 0..{@link
   *     org.diffeomotion.model.Warmup#MAX_BUDGET_SECONDS}
   */
  public ModelRegistry warmup(double seconds) {
    warmupSeconds = org.diffeomotion.model.Warmup.checkBudget("warmup", seconds);
    return this;
  }

  /** The warm-up budget of new loads [s]; 0 = off. */
  public double warmupSeconds() {
    return warmupSeconds;
  }

  /** The precision every model of this registry is served in. */
  public Precision precision() {
    return precision;
  }

  /** The model directory (a real path). */
  public Path directory() {
    return directory;
  }

  /**
   * Loads every {@code *.dmm} file directly in the directory, in name order. A file that fails is
   * logged and skipped (the others are still served).
   *
   * @return how many files were loaded
   */
  public int loadAll() throws IOException {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(directory, "*" + MODEL_FILE_SUFFIX)) {
      for (Path p : ds) {
        names.add(p.getFileName().toString());
      }
    }
    Collections.sort(names);
    int loaded = 0;
    for (String n : names) {
      try {
        LoadResult r = load(n, "");
        if (r.replaced() != null) {
          log.warn(
              "{} and {} both define model {}; serving the one from {}",
              r.replaced().path(),
              n,
              r.loaded().name(),
              n);
        }
        loaded++;
      } catch (ModelLoadException e) {
        log.warn("skipping {}: {}", n, e.getMessage());
      }
    }
    return loaded;
  }

  /** The served model called {@code name}, or null. */
  public ServedModel get(String name) {
    return models.get().get(name);
  }

  /** All served models, sorted by name. */
  public List<ServedModel> list() {
    List<ServedModel> all = new ArrayList<>(models.get().values());
    all.sort((a, b) -> a.name().compareTo(b.name()));
    return all;
  }

  /** Names of the served models, sorted (for error messages). */
  public List<String> names() {
    List<String> all = new ArrayList<>(models.get().keySet());
    Collections.sort(all);
    return all;
  }

  /** The outcome of a load: the model now served and the one it replaced (or null). */
  public record LoadResult(ServedModel loaded, ServedModel replaced) {}

  /**
   * Loads {@code relativePath} and serves it as {@code name} (empty: the name in the file),
   * replacing a model of that name atomically.
   *
   * @throws ModelLoadException nothing was replaced; the reason says why
   */
  public LoadResult load(String relativePath, String name) throws ModelLoadException {
    Path file = resolve(relativePath);
    // The path as requested (normalised), not its link target: a reload follows a link that
    // was re-pointed since (the "current.dmm -> v7.dmm" deployment).
    String rel =
        directory
            .relativize(directory.resolve(relativePath).normalize())
            .toString()
            .replace('\\', '/');
    synchronized (loadLock) {
      return install(file, rel, name);
    }
  }

  /**
   * Re-reads the served model {@code name} from its file (checked again: a link may have been
   * changed since).
   */
  public LoadResult reload(String name) throws ModelLoadException {
    synchronized (loadLock) {
      ServedModel current = get(name);
      if (current == null) {
        throw new ModelLoadException(
            ModelLoadException.Reason.INVALID_REQUEST,
            "model: \"" + name + "\" is not served (served: " + names() + ")");
      }
      Path file = resolve(current.path());
      return install(file, current.path(), name);
    }
  }

  private LoadResult install(Path file, String rel, String requestedName)
      throws ModelLoadException {
    byte[] bytes = readBounded(file, rel);
    MotionModel model;
    try {
      model = ModelArtifacts.parse(bytes);
    } catch (ModelFormatException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_MODEL,
          "path: " + rel + " is not a valid model: " + e.getMessage(),
          e);
    } catch (RuntimeException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_MODEL,
          "path: " + rel + " is not a valid model: " + e,
          e);
    }
    String name = requestedName == null || requestedName.isEmpty() ? model.name() : requestedName;
    if (!name.matches(NAME_PATTERN)) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_REQUEST,
          "name: \""
              + abbreviate(name)
              + "\" is not a valid model name (letters, digits, "
              + "'_', '.', '-'; 1..128 characters, not starting with '.' or '-')");
    }
    // Calibrated here, on the loading thread, before the model is served: the first deadline
    // checks need a bound, and no request should pay for the measurement. Its Rollout is also the
    // check that the model can be evaluated in the registry's precision.
    RolloutCost cost;
    try {
      cost = RolloutCost.calibrate(model, precision);
    } catch (IllegalArgumentException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_MODEL,
          "path: "
              + rel
              + " cannot be served in precision "
              + precision.label()
              + ": "
              + e.getMessage(),
          e);
    }
    ServedModel served =
        new ServedModel(
            name, model, rel, sha256Hex(bytes), generation + 1, Instant.now(), precision, cost);
    generation++;
    Map<String, ServedModel> before = models.get();
    Map<String, ServedModel> after = new HashMap<>(before);
    ServedModel replaced = after.put(name, served);
    models.set(Map.copyOf(after));
    if (replaced != null) {
      replaced.retire();
    }
    startWarmup(served);
    log.info(
        "serving model {} from {} (generation {}{})",
        name,
        rel,
        served.generation(),
        replaced == null ? "" : ", replaced generation " + replaced.generation());
    return new LoadResult(served, replaced);
  }

  /** Stops a running warm-up, if any (the server calls it on close). Idempotent. */
  public void stopWarmup() {
    synchronized (loadLock) {
      if (warming != null) {
        warming.interrupt();
        warming = null;
      }
    }
  }

  /** Called under loadLock, after {@code served} is in the map. */
  private void startWarmup(ServedModel served) {
    stopWarmup();
    RolloutCost cost = served.cost();
    Thread t =
        org.diffeomotion.model.Warmup.startInBackground(
            served.model(),
            precision,
            warmupSeconds,
            cost::observe,
            r ->
                log.info(
                    "model {} (generation {}): {}",
                    served.name(),
                    served.generation(),
                    r.describe()));
    if (t != null) {
      t.setUncaughtExceptionHandler(
          (th, e) -> log.warn("model {}: warm-up failed: {}", served.name(), e.toString()));
      served.warmup(t);
      warming = t;
    }
  }

  /**
   * The real path of {@code relativePath} inside the directory, or an exception naming the path.
   * The lexical checks catch "..", absolute paths and odd characters; the real-path check catches
   * symbolic links anywhere on the way that lead outside.
   */
  Path resolve(String relativePath) throws ModelLoadException {
    if (relativePath == null || relativePath.isEmpty()) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_REQUEST,
          "path: must name a model file relative to the model directory, got an empty path");
    }
    if (relativePath.indexOf('\0') >= 0 || relativePath.length() > 4096) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_REQUEST,
          "path: \"" + abbreviate(relativePath) + "\" is not a valid file path");
    }
    Path rel;
    try {
      rel = directory.getFileSystem().getPath(relativePath);
    } catch (InvalidPathException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_REQUEST,
          "path: \"" + abbreviate(relativePath) + "\" is not a valid file path: " + e.getReason());
    }
    if (rel.isAbsolute() || relativePath.startsWith("/") || relativePath.startsWith("\\")) {
      throw outside(relativePath, "is absolute; give a path relative to the model directory");
    }
    for (Path part : rel) {
      if (part.toString().equals("..")) {
        throw outside(relativePath, "contains '..'");
      }
    }
    Path joined = directory.resolve(rel).normalize();
    if (!joined.startsWith(directory)) {
      throw outside(relativePath, "leaves the model directory");
    }
    Path real;
    try {
      real = joined.toRealPath();
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.NOT_FOUND,
          "path: " + relativePath + " does not exist in the model directory",
          e);
    } catch (IOException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.NOT_FOUND,
          "path: " + relativePath + " cannot be resolved: " + e.getMessage(),
          e);
    }
    if (!real.startsWith(directory)) {
      throw outside(
          relativePath,
          "is a symbolic link (or passes through one) that leads " + "outside the model directory");
    }
    if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
      throw new ModelLoadException(
          ModelLoadException.Reason.INVALID_MODEL,
          "path: "
              + relativePath
              + (Files.isDirectory(real, LinkOption.NOFOLLOW_LINKS)
                  ? " is a directory, not a model file"
                  : " is not a regular file (a FIFO, socket or " + "device), not a model file"));
    }
    return real;
  }

  private static byte[] readBounded(Path real, String rel) throws ModelLoadException {
    // NOFOLLOW_LINKS: the checked real path is what gets opened, even if a link appears there
    // between the check and the read.
    try (InputStream in =
        Files.newInputStream(real, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      long size = Files.size(real);
      if (size > ModelArtifacts.MAX_FILE_BYTES) {
        throw new ModelLoadException(
            ModelLoadException.Reason.TOO_LARGE,
            "path: "
                + rel
                + " is "
                + size
                + " bytes, larger than the "
                + ModelArtifacts.MAX_FILE_BYTES
                + "-byte limit for model files");
      }
      byte[] bytes =
          in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, ModelArtifacts.MAX_FILE_BYTES + 1));
      if (bytes.length > ModelArtifacts.MAX_FILE_BYTES) {
        // Grew between the size check and the read.
        throw new ModelLoadException(
            ModelLoadException.Reason.TOO_LARGE,
            "path: "
                + rel
                + " is larger than the "
                + ModelArtifacts.MAX_FILE_BYTES
                + "-byte limit for model files");
      }
      return bytes;
    } catch (ModelLoadException e) {
      throw e; // an IOException itself: must not turn into "cannot be read" below
    } catch (NoSuchFileException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.NOT_FOUND,
          "path: " + rel + " does not exist in the model directory",
          e);
    } catch (IOException e) {
      throw new ModelLoadException(
          ModelLoadException.Reason.NOT_FOUND,
          "path: " + rel + " cannot be read: " + e.getMessage(),
          e);
    }
  }

  private static ModelLoadException outside(String path, String why) {
    return new ModelLoadException(
        ModelLoadException.Reason.OUTSIDE_DIRECTORY,
        "path: \""
            + abbreviate(path)
            + "\" "
            + why
            + "; only files inside the model directory "
            + "can be loaded");
  }

  static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }

  private static String sha256Hex(byte[] bytes) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(bytes);
      StringBuilder sb = new StringBuilder(64);
      for (byte b : h) {
        sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
      }
      return sb.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
