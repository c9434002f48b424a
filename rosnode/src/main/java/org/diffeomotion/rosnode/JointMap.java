package org.diffeomotion.rosnode;

import java.util.Arrays;
import org.diffeomotion.ros1.msg.JointState;

/**
 * Joint positions by name: the model's joints in a JointState in any order (extra joints ignored),
 * or by position when the message has no names. The name → index map is kept and rebuilt (without
 * allocating, O(model joints × message joints)) only when the names change.
 */
final class JointMap {
  private final String[] model;
  private final int[] index;

  /** Names of the last message (the decoder reuses equal strings, so == usually decides). */
  private String[] seen = new String[8];

  private int seenCount = -1;
  private int missing = -1;

  JointMap(String[] modelNames) {
    this.model = modelNames;
    this.index = new int[modelNames.length];
  }

  /** Fills y with the model's joints from m; OK or the problem. */
  InputStatus read(JointState m, double[] y) {
    int n = m.nameCount();
    int d = model.length;
    if (n == 0) {
      if (m.position.length != d) {
        return InputStatus.DIMENSION;
      }
      for (int i = 0; i < d; i++) {
        index[i] = i;
      }
      seenCount = -1;
    } else {
      if (!sameNames(m)) {
        remember(m);
      }
      if (missing >= 0 || m.position.length != n) {
        return InputStatus.DIMENSION;
      }
    }
    for (int i = 0; i < d; i++) {
      double q = m.position[index[i]];
      if (!Double.isFinite(q)) {
        return InputStatus.NON_FINITE;
      }
      y[i] = q;
    }
    return InputStatus.OK;
  }

  private boolean sameNames(JointState m) {
    int n = m.nameCount();
    if (n != seenCount) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      String s = m.name(i);
      if (s != seen[i] && !s.equals(seen[i])) {
        return false;
      }
    }
    return true;
  }

  private void remember(JointState m) {
    int n = m.nameCount();
    if (seen.length < n) {
      seen = new String[Math.max(n, 2 * seen.length)];
    }
    for (int j = 0; j < n; j++) {
      seen[j] = m.name(j);
    }
    seenCount = n;
    missing = -1;
    for (int i = 0; i < model.length; i++) {
      index[i] = -1;
      for (int j = 0; j < n; j++) {
        if (seen[j].equals(model[i])) {
          index[i] = j;
          break;
        }
      }
      if (index[i] < 0 && missing < 0) {
        missing = i;
      }
    }
  }

  String problem(JointState m, InputStatus st) {
    if (st == InputStatus.NON_FINITE) {
      return "a joint position is NaN or infinite: " + Arrays.toString(m.position);
    }
    if (m.nameCount() == 0) {
      return "no joint names and "
          + m.position.length
          + " positions; the model has "
          + model.length
          + " joints "
          + Arrays.toString(model);
    }
    if (missing >= 0) {
      return "joint '" + model[missing] + "' is missing from " + Arrays.toString(m.names());
    }
    return m.nameCount() + " joint names but " + m.position.length + " positions";
  }
}
