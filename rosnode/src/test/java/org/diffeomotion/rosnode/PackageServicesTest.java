package org.diffeomotion.rosnode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.diffeomotion.ros1.RosTools;
import org.junit.jupiter.api.Test;

/** The package's own services: the Java types against the .srv files and the ROS tools. */
class PackageServicesTest {

  private final Path root = Path.of("..").toAbsolutePath().normalize();

  @Test
  void getJointPlanIsTheSrvFileAndHasRossrvsMd5() throws Exception {
    assertEquals(
        Files.readString(root.resolve("srv/GetJointPlan.srv")),
        GetJointPlan.SRV_TEXT,
        "the class path copy of srv/GetJointPlan.srv");
    try (RosTools ros = new RosTools()) {
      Path py = GenPy.generate(ros, root, ros.home.resolve("py"));
      ros.extraEnv.put("ROS_PACKAGE_PATH", root.toString());
      ros.extraEnv.put("PYTHONPATH", py.toString());
      // rossrv md5 loads the class genpy generated from the .srv file (Debian ships sensor_msgs
      // without the package.xml that `rossrv show` would need to parse it).
      RosTools.Result md5 = ros.run(60_000, "rossrv", "md5", "diffeo_motion/GetJointPlan");
      assertEquals(0, md5.exitCode(), md5.output());
      assertEquals(md5.output().strip(), GetJointPlan.TYPE.md5(), "rossrv md5");
    }
  }
}
