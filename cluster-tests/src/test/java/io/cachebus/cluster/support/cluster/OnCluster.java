package io.cachebus.cluster.support.cluster;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A test class that runs on one of the suite's clusters: {@link TestCluster} parameters (of test methods, lifecycle
 * methods and constructors) get it. Classes of one kind share one cluster and run one after another
 * ({@link ClusterClassOrderer}).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(ClusterExtension.class)
public @interface OnCluster {

    ClusterKind value();
}
