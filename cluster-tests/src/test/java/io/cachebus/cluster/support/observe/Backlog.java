package io.cachebus.cluster.support.observe;

import io.cachebus.events.Topics;
import io.cachebus.localcluster.LocalCluster;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** What is still on its way from a write to the invalidators: unsent outbox rows and the invalidators' consumer lag. */
public final class Backlog {

    /** The invalidators' consumer group (their default {@code cachebus.invalidator.consumer-group}). */
    public static final String INVALIDATOR_GROUP = "cachebus-invalidator";

    private final LocalCluster cluster;

    public Backlog(LocalCluster cluster) {
        this.cluster = cluster;
    }

    /** Rows of {@code cachebus_outbox} no node has had acknowledged by Kafka yet, read from the shared database. */
    public long unsentOutboxRows() {
        try (Connection connection = cluster.openDatabaseConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM cachebus_outbox WHERE sent_at IS NULL")) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count the outbox rows of " + cluster.jdbcUrl(), e);
        }
    }

    /** The mutation partitions assigned now to the consumers of the invalidator {@code invalidatorId}. */
    public Set<Integer> partitionsHeldBy(String invalidatorId) {
        try (Admin admin = cluster.kafka().admin()) {
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(INVALIDATOR_GROUP))
                    .describedGroups().get(INVALIDATOR_GROUP).get(30, TimeUnit.SECONDS);
            // the invalidator names its consumers' client ids after itself (invalidator-1-0, ...)
            return group.members().stream()
                    .filter(member -> member.clientId().equals(invalidatorId)
                            || member.clientId().startsWith(invalidatorId + "-"))
                    .flatMap(member -> member.assignment().topicPartitions().stream())
                    .filter(partition -> partition.topic().equals(Topics.DOMAIN_MUTATED))
                    .map(TopicPartition::partition)
                    .collect(Collectors.toSet());
        } catch (Exception e) {
            throw new IllegalStateException("cannot describe group " + INVALIDATOR_GROUP, e);
        }
    }

    /**
     * How many mutation records the invalidator group has not committed yet, over every partition of the mutation
     * topic (a partition the group never committed counts from its start).
     */
    public long invalidatorLag() {
        try (Admin admin = cluster.kafka().admin()) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(INVALIDATOR_GROUP)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            List<TopicPartition> partitions = admin.describeTopics(List.of(Topics.DOMAIN_MUTATED)).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get(Topics.DOMAIN_MUTATED).partitions().stream()
                    .map(p -> new TopicPartition(Topics.DOMAIN_MUTATED, p.partition()))
                    .toList();
            Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
            partitions.forEach(p -> latest.put(p, OffsetSpec.latest()));
            long lag = 0;
            for (var end : admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet()) {
                OffsetAndMetadata done = committed.get(end.getKey());
                lag += Math.max(0, end.getValue().offset() - (done == null ? 0 : done.offset()));
            }
            return lag;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read the lag of group " + INVALIDATOR_GROUP, e);
        }
    }
}
