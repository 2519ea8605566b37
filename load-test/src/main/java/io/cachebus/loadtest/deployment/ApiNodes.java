package io.cachebus.loadtest.deployment;

import java.net.URI;
import java.util.List;

/**
 * A set of API nodes in one {@link NodeMode}, held for as long as a phase needs them. Closing releases nodes the
 * target started for the phase; nodes it did not start stay as they are.
 */
public interface ApiNodes extends AutoCloseable {

    NodeMode mode();

    /** Base URLs ({@code http://host:port}), at least one. */
    List<URI> urls();

    @Override
    void close();

    /** Nodes the target does not own: closing them does nothing. */
    static ApiNodes existing(NodeMode mode, List<URI> urls) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a node set needs at least one URL");
        }
        List<URI> copy = List.copyOf(urls);
        return new ApiNodes() {
            @Override
            public NodeMode mode() {
                return mode;
            }

            @Override
            public List<URI> urls() {
                return copy;
            }

            @Override
            public void close() {
                // not ours to stop
            }
        };
    }
}
