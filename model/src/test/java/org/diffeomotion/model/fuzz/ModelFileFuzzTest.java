package org.diffeomotion.model.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.diffeomotion.model.ModelArtifacts;
import org.diffeomotion.model.ModelFormatException;

/**
 * Coverage-guided fuzz test (Jazzer) of the model artifact reader: the bytes of a {@code .dmm} file
 * come from disk or a gRPC LoadModel, i.e. from outside. The contract: {@link ModelArtifacts#parse}
 * either returns a model that passed every check or throws a {@link ModelFormatException} naming
 * the field; anything else is a finding. Regression mode replays {@code
 * src/test/resources/org/diffeomotion/model/fuzz/ModelFileFuzzTestInputs/modelFile/} (a valid model
 * and mutants of it); {@code scripts/fuzz.sh} runs a campaign.
 */
class ModelFileFuzzTest {

  @FuzzTest
  void modelFile(byte[] data) {
    ModelFile.fuzzerTestOneInput(data);
  }

  /** The Jazzer driver's entry point for this target. */
  public static final class ModelFile {
    public static void fuzzerTestOneInput(byte[] data) {
      try {
        ModelArtifacts.parse(data);
      } catch (ModelFormatException expected) {
        // corrupt, truncated, wrong magic or version, a field out of range: named and refused
      }
    }
  }
}
