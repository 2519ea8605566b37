package io.cachebus.loadtest.bench;

/** The precision figures are reported with. */
final class Rounding {

    private Rounding() {
    }

    static double tenths(double value) {
        return Math.round(value * 10) / 10.0;
    }

    static double hundredths(double value) {
        return Math.round(value * 100) / 100.0;
    }

    static double thousandths(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
