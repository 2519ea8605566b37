package io.cachebus.loadtest.bench;

import io.cachebus.loadtest.invalidation.InvalidatorThroughputProbe;
import io.cachebus.loadtest.profile.Profile;
import java.util.List;
import java.util.Optional;

/** Events per second one invalidator works off a backlog, and how far it coalesces them. */
final class InvalidatorThroughputPhase implements BenchPhase {

    private final RunContext run;

    InvalidatorThroughputPhase(RunContext run) {
        this.run = run;
    }

    @Override
    public List<String> figures() {
        return List.of("invalidator_events_per_s");
    }

    @Override
    public void run(ResultSheet sheet) {
        Optional<String> kafka = run.target.kafkaBootstrapServers();
        if (kafka.isEmpty()) {
            sheet.notMeasured("invalidator_events_per_s", "the harness has no access to the target's Kafka "
                    + "(for a deployment given by URLs: --kafka-bootstrap)");
            return;
        }
        Profile.InvalidatorThroughput settings = run.profile.invalidator();
        run.console.printf("   producing a backlog of %,d events over %,d tenant domains%n", settings.events(),
                settings.scopes());
        InvalidatorThroughputProbe.Result result = new InvalidatorThroughputProbe(kafka.get(),
                run.target.invalidators()).run(settings.events(), settings.scopes(), settings.timeout());
        run.console.printf("   %,.0f events/s, %.1f events per invalidation (%s)%n", result.eventsPerSecond(),
                result.coalescingRatio(), result.backlogFirst() ? "one instance on a backlog"
                        : "the group, while the harness produced: a lower bound");
        sheet.coalescingRatio = result.coalescingRatio();
        if (Double.isNaN(result.eventsPerSecond())) {
            sheet.notMeasured("invalidator_events_per_s", "every broadcast arrived in one poll: too few events to "
                    + "time; raise the profile's event count");
            return;
        }
        sheet.invalidatorEventsPerS = result.eventsPerSecond();
        if (!result.backlogFirst()) {
            sheet.notMeasured("invalidator_events_per_s (single instance)", "the target gives no control over its "
                    + "invalidators: the figure is the whole group's while the harness produced, a lower bound");
        }
    }
}
