package io.cachebus.cluster.support.cluster;

import java.util.Comparator;
import org.junit.jupiter.api.ClassDescriptor;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.ClassOrdererContext;

/**
 * Runs the classes of one {@link ClusterKind} together, in the kinds' order, so each cluster starts once; classes
 * without a cluster come first. Within a kind, by {@link org.junit.jupiter.api.Order} and then by name.
 * Configured in {@code junit-platform.properties}.
 */
public final class ClusterClassOrderer implements ClassOrderer {

    @Override
    public void orderClasses(ClassOrdererContext context) {
        context.getClassDescriptors().sort(Comparator
                .comparingInt((ClassDescriptor c) -> c.findAnnotation(OnCluster.class).map(a -> a.value().ordinal() + 1)
                        .orElse(0))
                .thenComparingInt(c -> c.findAnnotation(org.junit.jupiter.api.Order.class)
                        .map(org.junit.jupiter.api.Order::value).orElse(org.junit.jupiter.api.Order.DEFAULT))
                .thenComparing(c -> c.getTestClass().getName()));
    }
}
