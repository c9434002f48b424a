package org.diffeomotion.trainer.fit.internal;

import java.util.List;

import org.diffeomotion.trainer.fit.Demo;

/**
 * Initial frequencies of the base's oscillatory modes. The coupling flow starts as the
 * identity, so the untrained model is the base itself: a base that already turns the way the
 * demos turn around the goal, at about their pace, leaves F only the shape to learn. A base
 * turning the other way would have to be unwound by F, which a smooth flow can only do by
 * folding the paths tightly around the goal.
 */
public final class BaseInit {

    private BaseInit() { }

    /**
     * Per oscillatory mode j (dimensions 2j, 2j+1): the mean over demos of the signed angle the
     * demo sweeps around the goal in that plane, divided by the median duration. 0 for a plane
     * that holds an augmentation dimension (the demos do not move there).
     *
     * @param demos          training demos (normalised). Not modified.
     * @param modes          number of oscillatory modes.
     * @param medianDuration median demo duration [normalised time], > 0.
     * @return the frequencies [rad per normalised time], length modes.
     */
    public static double[] omegaFromDemos(List<Demo> demos, int modes, double medianDuration) {
        double[] omega = new double[modes];
        for (int j = 0; j < modes; j++) {
            int a = 2 * j;
            int b = 2 * j + 1;
            double sum = 0;
            int n = 0;
            for (Demo d : demos) {
                double[][] z = d.z();
                if (b >= z[0].length) {
                    continue;
                }
                sum += sweptAngle(z, a, b);
                n++;
            }
            omega[j] = n == 0 ? 0.0 : sum / n / medianDuration;
        }
        return omega;
    }

    /**
     * The signed angle [rad] that the path z[i][a..b] sweeps around the origin: the sum of the
     * angles between consecutive points (counter-clockwise positive), skipping points at the
     * origin itself (the angle is undefined there).
     */
    static double sweptAngle(double[][] z, int a, int b) {
        double total = 0;
        double px = z[0][a];
        double py = z[0][b];
        for (int i = 1; i < z.length; i++) {
            double x = z[i][a];
            double y = z[i][b];
            if (x * x + y * y < 1e-18) {
                continue;
            }
            if (px * px + py * py >= 1e-18) {
                total += Math.atan2(px * y - py * x, px * x + py * y);
            }
            px = x;
            py = y;
        }
        return total;
    }

    /** The fixed spread of the options' {@code initOmega}: mode j gets omega (j + 1) / modes. */
    public static double[] spread(double omega, int modes) {
        double[] out = new double[modes];
        for (int j = 0; j < modes; j++) {
            out[j] = omega * (j + 1.0) / modes;
        }
        return out;
    }
}
