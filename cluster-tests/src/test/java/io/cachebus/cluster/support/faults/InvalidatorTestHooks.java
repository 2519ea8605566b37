package io.cachebus.cluster.support.faults;

import io.cachebus.invalidator.coalescing.InvalidationGroup;
import io.cachebus.invalidator.invalidation.InvalidationResult;
import io.cachebus.invalidator.invalidation.PrefixInvalidationStrategy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * What the suite adds to every invalidator it starts (as {@code spring.main.sources}), for the drill that kills one
 * mid-batch: while the file {@code <id>.hold} exists in the hooks directory, the invalidator holds each invalidation
 * right after its Redis work, before the batch's broadcast and offset commit, and shows it by the file
 * {@code <id>.busy}. Files, not beans, because the invalidator that is killed runs in a JVM of its own.
 */
@Configuration(proxyBeanMethods = false)
public class InvalidatorTestHooks {

    /** The directory of the hold and busy files; the cluster sets it for every invalidator. */
    public static final String DIRECTORY_PROPERTY = "cachebus.test.hooks-directory";
    private static final String ID_PROPERTY = "cachebus.invalidator.invalidator-id";
    private static final Duration POLL = Duration.ofMillis(20);
    private static Path directory;

    /** This test run's hooks directory (one per JVM, created on first use). */
    public static synchronized Path directory() {
        if (directory == null) {
            try {
                directory = Files.createTempDirectory("cachebus-invalidator-hooks-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return directory;
    }

    @Bean
    static BeanPostProcessor holdableInvalidations(Environment environment) {
        Path directory = Path.of(environment.getRequiredProperty(DIRECTORY_PROPERTY));
        String id = environment.getRequiredProperty(ID_PROPERTY);
        return new BeanPostProcessor() {
            @Override
            public Object postProcessAfterInitialization(Object bean, String beanName) {
                return bean instanceof PrefixInvalidationStrategy strategy
                        ? new Holdable(strategy, directory.resolve(id + ".hold"), directory.resolve(id + ".busy"))
                        : bean;
            }
        };
    }

    /** The control side, in the test JVM: holds the invalidations of one invalidator and sees when one is held. */
    public static final class Control {

        private final Path directory;

        public Control(Path directory) {
            this.directory = directory;
        }

        public void hold(String invalidator) {
            touch(directory.resolve(invalidator + ".hold"));
        }

        public void release(String invalidator) {
            delete(directory.resolve(invalidator + ".hold"));
            delete(directory.resolve(invalidator + ".busy"));
        }

        /** Whether the invalidator is inside an invalidation it holds: Redis done, broadcast and commit not. */
        public boolean isHoldingOne(String invalidator) {
            return Files.exists(directory.resolve(invalidator + ".busy"));
        }
    }

    private record Holdable(PrefixInvalidationStrategy delegate, Path hold, Path busy)
            implements PrefixInvalidationStrategy {

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public int groupsPerCall() {
            return delegate.groupsPerCall();
        }

        @Override
        public List<InvalidationResult> invalidate(List<InvalidationGroup> groups) {
            List<InvalidationResult> result = delegate.invalidate(groups);
            if (Files.exists(hold)) {
                touch(busy);
                while (Files.exists(hold)) {
                    pause();
                }
                delete(busy);
            }
            return result;
        }

        private static void pause() {
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while held", e);
            }
        }
    }

    private static void touch(Path file) {
        try {
            Files.writeString(file, "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
