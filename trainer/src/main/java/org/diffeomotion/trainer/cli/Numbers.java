package org.diffeomotion.trainer.cli;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A comma-separated list of numbers given as one option value, e.g. {@code --start 0.2,0.3} (one
 * value, so that picocli's usage shows {@code --start=X,Y} rather than a repeatable option).
 */
record Numbers(double[] values) {

  int size() {
    return values.length;
  }

  double get(int i) {
    return values[i];
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < values.length; i++) {
      s.append(i > 0 ? "," : "").append(values[i]);
    }
    return s.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Numbers n && Arrays.equals(values, n.values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }

  /** Parses "a,b,c"; every entry must be a finite number. */
  static final class Converter implements ITypeConverter<Numbers> {
    @Override
    public Numbers convert(String text) {
      String[] parts = text.split(",", -1);
      double[] v = new double[parts.length];
      for (int i = 0; i < parts.length; i++) {
        String p = parts[i].strip();
        try {
          v[i] = Double.parseDouble(p);
        } catch (NumberFormatException e) {
          throw new TypeConversionException(
              String.format(
                  Locale.ROOT, "'%s' (value %d of '%s') is not a number", p, i + 1, text));
        }
        if (!Double.isFinite(v[i])) {
          throw new TypeConversionException(
              String.format(
                  Locale.ROOT,
                  "value %d of '%s' is %s; only finite numbers are allowed",
                  i + 1,
                  text,
                  p));
        }
      }
      return new Numbers(v);
    }
  }
}
