#!/usr/bin/env bash
# The whole test suite: unit tests of every module, then the integration tests that drive the
# real ROS tools (roscore, rostopic, rosbag, rospy via /usr/bin/python3) and external clients.
# Installs what the tests need when it is missing (CI runs as root on Debian 12).
set -euo pipefail
cd "$(dirname "$0")/.."

apt_missing=()
command -v mvn >/dev/null 2>&1 || apt_missing+=(maven)
command -v javac >/dev/null 2>&1 || apt_missing+=(openjdk-17-jdk-headless)
command -v npm >/dev/null 2>&1 || apt_missing+=(npm)
# npm installs `buf` (below), the external gRPC client of the gRPC integration tests.
command -v npm >/dev/null 2>&1 || apt_missing+=(npm)
for tool in roscore rostopic rosbag rosmsg rosservice rosparam rosnode roslaunch; do
  command -v "$tool" >/dev/null 2>&1 || { apt_missing+=(ros-core); break; }
done
# rospy and the message packages the integration tests publish and record with.
# dynamic_reconfigure: dynparam, the message definitions rosmsg checks our md5sums against.
[ -x /usr/lib/dynamic_reconfigure/dynparam ] || apt_missing+=(python3-dynamic-reconfigure)
if ! /usr/bin/python3 -c 'import rospy, rosbag, geometry_msgs.msg, nav_msgs.msg, sensor_msgs.msg, trajectory_msgs.msg, std_srvs.srv, visualization_msgs.msg' >/dev/null 2>&1; then
  apt_missing+=(python3-rospy python3-rosbag python3-geometry-msgs python3-nav-msgs
    python3-sensor-msgs python3-std-msgs python3-trajectory-msgs python3-std-srvs
    python3-visualization-msgs
    ros-geometry-msgs ros-nav-msgs ros-sensor-msgs ros-trajectory-msgs ros-std-srvs)
fi
# rviz under a virtual X server, screenshots with ImageMagick (RvizIntegrationTest).
for tool in rviz Xvfb import; do
  command -v "$tool" >/dev/null 2>&1 || { apt_missing+=(rviz xvfb imagemagick); break; }
done
# The benchmark's glyph resource is checked against Debian's Hershey font files.
[ -d /usr/share/hershey-fonts ] || apt_missing+=(hershey-fonts-data)
if [ ${#apt_missing[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "missing: ${apt_missing[*]} (run as root, or install them)" >&2
    exit 1
  fi
  echo "installing: ${apt_missing[*]}"
  apt-get update -q
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${apt_missing[@]}"
fi

# `buf curl` (npm package @bufbuild/buf), a gRPC client nobody here wrote, drives the gRPC
# server through reflection. Cached outside the repository; BUF_BIN overrides.
buf_dir="${HOME}/.cache/diffeo-motion/npm"
if [ -z "${BUF_BIN:-}" ] && [ ! -x "$buf_dir/node_modules/.bin/buf" ]; then
  mkdir -p "$buf_dir"
  npm install --no-audit --no-fund --prefix "$buf_dir" @bufbuild/buf >&2
fi

mvn -B -ntp verify -Pit
