package org.diffeomotion.rosnode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.diffeomotion.ros1.RosTools;

/**
 * Runs a roslaunch with rviz for RvizIntegrationTest and RvizPoseIntegrationTest, relaunching when
 * rviz itself dies at start-up. Debian's rviz 1.14 under Xvfb's software renderer does, now and
 * then, before its first frame: CI saw {@code free(): invalid next size (fast)} and {@code [rviz-2]
 * process has died [..., exit code -6, ...]} once in a suite run, right after rviz had subscribed
 * to the plan topic; rviz's own tracker (ros-visualization/rviz#497) describes the same start-up
 * lottery and suggests running it again. Any other failure (the view, the plan or the goal drawn in
 * the wrong place, the node not coming up) fails at once, and a relaunch is printed to stderr, so a
 * crash that became the rule would still show.
 */
final class RvizLaunches {
  /** At most this many roslaunch runs when rviz keeps dying at start-up. */
  static final int LAUNCHES = 3;

  private static final Pattern DIED = Pattern.compile("\\[rviz-\\d+\\] process has died[^\\n]*");

  private RvizLaunches() {}

  /** One try against a running roslaunch: null when it passed, else the problem. */
  interface Attempt {
    String run(Path roslaunchLog) throws Exception;
  }

  /** What a screenshot must show: null when it does, else the problem. */
  interface ScreenCheck {
    String check(BufferedImage screenshot);
  }

  /**
   * The rviz tests' scenario, relaunching as {@link #run} does: starts {@code launch}, waits until
   * the node and rviz are on the plan topic, publishes {@code startYaml} (a PoseStamped) on the
   * node's start topic, then screenshots the whole {@code display} into {@code shot} once a second
   * until {@code check} passes, for at most 30 s (rviz's first frame under Xvfb's software renderer
   * can take over 10 s on a loaded 2-core machine).
   */
  static void planOnScreen(
      RosTools ros,
      List<String> launch,
      String display,
      String startYaml,
      Path shot,
      ScreenCheck check)
      throws Exception {
    run(
        ros,
        launch,
        log -> {
          RosTools.waitFor(
              "the node and rviz (started by roslaunch rviz:=true) on the plan topic",
              90_000,
              () -> {
                if (rvizDeath(log) != null) {
                  return true;
                }
                String info =
                    ros.run(20_000, "rostopic", "info", "/motion_generator/plan").output();
                return info.contains(" * /motion_generator (") && info.contains("/rviz");
              });
          if (rvizDeath(log) != null) {
            return "rviz died before it subscribed to the plan";
          }
          RosTools.Result pub =
              ros.publishOnce("/motion_generator/start", "geometry_msgs/PoseStamped", startYaml);
          assertEquals(0, pub.exitCode(), pub.output());
          String problem = "no screenshot";
          for (int attempt = 0; attempt < 30 && rvizDeath(log) == null; attempt++) {
            Thread.sleep(1000);
            RosTools.Result r =
                ros.run(30_000, "import", "-display", display, "-window", "root", shot.toString());
            assertEquals(0, r.exitCode(), r.output());
            problem = check.check(ImageIO.read(shot.toFile()));
            if (problem == null) {
              return null;
            }
          }
          return problem + " (screenshot " + shot + ")";
        });
  }

  /**
   * Starts {@code launch}, runs {@code attempt}; when it reports a problem and rviz had died, stops
   * that roslaunch and starts another, up to {@link #LAUNCHES} in all. Fails with the problem and
   * the roslaunch log otherwise.
   */
  static void run(RosTools ros, List<String> launch, Attempt attempt) throws Exception {
    StringBuilder deaths = new StringBuilder();
    for (int k = 1; k <= LAUNCHES; k++) {
      Path log = ros.home.resolve("roslaunch-" + k + ".log");
      Process roslaunch = ros.start(launch, log);
      String problem = attempt.run(log);
      if (problem == null) {
        RosTools.kill(roslaunch);
        return;
      }
      String died = rvizDeath(log);
      if (died == null) {
        fail(problem + " (roslaunch log " + log + ":\n" + read(log));
      }
      deaths.append("\n  launch ").append(k).append(": ").append(died);
      System.err.println(
          "RvizLaunches: rviz died at start-up (launch " + k + " of " + LAUNCHES + "): " + died);
      RosTools.kill(roslaunch);
    }
    fail("rviz died at start-up in every one of " + LAUNCHES + " launches:" + deaths);
  }

  /** roslaunch's line saying rviz died, or null while it has not. */
  static String rvizDeath(Path roslaunchLog) {
    Matcher m = DIED.matcher(read(roslaunchLog));
    return m.find() ? m.group() : null;
  }

  static String read(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }
}
