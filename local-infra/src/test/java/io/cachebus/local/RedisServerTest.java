package io.cachebus.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cachebus.local.redis.RedisServer;
import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void startsOnItsOwnPortAndSurvivesKillAndRestartOnTheSamePort() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.port()).isNotEqualTo(6379);
            assertThat(redis.command("SET", "tenant:t1:workflows:a", "1")).isEqualTo("+OK");
            assertThat(redis.dbSize()).isEqualTo(1);

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(IllegalStateException.class);

            redis.restart();
            assertThat(redis.command("PING")).isEqualTo("+PONG");
            assertThat(redis.dbSize()).as("nothing is persisted across a restart").isZero();
        }
    }

    @Test
    void aPausedServerAcceptsButDoesNotAnswerUntilUnpaused() {
        try (RedisServer redis = RedisServer.start()) {
            redis.pause();
            assertThatThrownBy(() -> redis.command("PING")).isInstanceOf(IllegalStateException.class);
            redis.unpause();
            assertThat(redis.command("PING")).isEqualTo("+PONG");
        }
    }
}
