package io.cachebus.localcluster;

/** A child's main class in {@link ChildClasspathTest}: says it ran, so the test knows the launch worked. */
public final class ArchiveProbe {

    private ArchiveProbe() {
    }

    public static void main(String[] args) {
        System.out.println("archive probe ran");
    }
}
