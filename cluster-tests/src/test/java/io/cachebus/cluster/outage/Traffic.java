package io.cachebus.cluster.outage;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;

import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.cluster.support.cluster.TestCluster;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Client traffic of one tenant, as a load balancer spreads it: every round writes once (each write operation of both
 * domains in turn) on the next node in rotation, then reads every resource the tenant has on every node in rotation.
 * Every exchange is recorded; every acknowledged write updates the {@link TenantModel}.
 */
final class Traffic {

    private static final Duration PAUSE_BETWEEN_ROUNDS = Duration.ofMillis(20);
    private static final int WRITE_KINDS = 8;

    private final String tenant;
    private final TenantModel model;
    private final List<ApiNode> rotation;
    /** The tenant's data from before the traffic, never deleted by it: what writes and reads address. */
    private final List<Long> workflows;
    private final List<Long> notifications;
    private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();
    /** Held for the whole of each round. */
    private final Object rounds = new Object();
    private int round;
    private Long createdNotification;
    private Long createdWorkflow;
    /** The node every write goes to, or {@code null} to spread them over the rotation. */
    private volatile ApiNode pinnedWriter;
    private volatile boolean running;
    private Thread thread;

    Traffic(TestCluster cluster, String tenant, TenantModel model) {
        this.tenant = tenant;
        this.model = model;
        this.rotation = new CopyOnWriteArrayList<>(cluster.everyApiNode());
        this.workflows = model.workflowIds();
        this.notifications = model.notificationIds();
    }

    /** Takes a node out of the rotation; returns once no round is using it any more (the current one ended). */
    void takeOutOfRotation(ApiNode node) {
        synchronized (rounds) {
            rotation.remove(node);
        }
    }

    void putBackIntoRotation(ApiNode node) {
        rotation.add(node);
    }

    /** From the next round on, every write goes to {@code node} ({@code null}: spread over the rotation again). */
    void pinWritesTo(ApiNode node) {
        pinnedWriter = node;
    }

    /** One round per write kind, in the calling thread; returns their exchanges. */
    List<Exchange> fullCycle() {
        int from = exchanges.size();
        for (int i = 0; i < WRITE_KINDS; i++) {
            round();
        }
        return List.copyOf(exchanges.subList(from, exchanges.size()));
    }

    /** Runs rounds on a thread of its own until {@link #stop(int)}. */
    void start() {
        running = true;
        thread = new Thread(() -> {
            while (running) {
                round();
                sleep(PAUSE_BETWEEN_ROUNDS);
            }
        }, "traffic-" + tenant);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops the rounds (the current one finishes) and returns every exchange since {@link #start()}. */
    List<Exchange> stop(int fromExchange) {
        running = false;
        if (thread == null) {
            return List.of();
        }
        try {
            thread.join(Duration.ofSeconds(60).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            throw new IllegalStateException("the traffic of " + tenant + " did not stop");
        }
        return List.copyOf(exchanges.subList(fromExchange, exchanges.size()));
    }

    int exchangeCount() {
        return exchanges.size();
    }

    private void round() {
        synchronized (rounds) {
            roundOn(List.copyOf(rotation));
        }
    }

    private void roundOn(List<ApiNode> nodes) {
        ApiNode pinned = pinnedWriter;
        ApiNode writer = pinned != null ? pinned : nodes.get(round % nodes.size());
        long workflow = workflows.get(round % workflows.size());
        long notification = notifications.get(round % notifications.size());
        write(writer.client(tenant), round % WRITE_KINDS, workflow, notification);
        for (ApiNode node : nodes) {
            ApiClient api = node.client(tenant);
            read(api, "GET /api/workflows", Paths.WORKFLOW_LIST);
            read(api, "GET /api/workflows/{id}", Paths.workflow(workflow));
            read(api, "GET /api/workflows/{id}/steps", Paths.steps(workflow));
            read(api, "GET /api/notifications", Paths.NOTIFICATION_LIST);
            read(api, "GET /api/notifications/{id}", Paths.notification(notification));
            read(api, "GET /api/notifications/unread-count", Paths.UNREAD_COUNT);
        }
        round++;
    }

    /** The write of this round's kind, to {@code someWorkflow} or {@code someNotification} where it needs one. */
    private void write(ApiClient api, int kind, long someWorkflow, long someNotification) {
        switch (kind) {
            case 0 -> send("PATCH /api/workflows/{id}", () -> api.patch(Paths.workflow(someWorkflow),
                    object("description", "round " + round)), model::workflowPatched);
            case 1 -> send("POST /api/notifications", () -> api.post(Paths.NOTIFICATIONS, object("title", "n" + round)),
                    created -> {
                        model.notificationWritten(created);
                        createdNotification = created.id();
                    });
            case 2 -> send("PATCH /api/notifications/{id}", () -> api.patch(Paths.notification(someNotification),
                    object("read", !model.isRead(someNotification))), model::notificationWritten);
            case 3 -> {
                List<String> steps = List.of("s" + round, "t" + round);
                // a name of its own per id: the set-up's names are "w" + its index, which a database id may equal
                String name = "w-id-" + someWorkflow;
                send("PUT /api/workflows/{id}", () -> api.put(Paths.workflow(someWorkflow), workflow(name,
                        round % 2 == 0 ? "ACTIVE" : "PAUSED", null, steps.stream().map(s -> step(s, "noop")).toList())),
                        replaced -> model.workflowWritten(replaced, steps));
            }
            case 4 -> send("PATCH /api/notifications", () -> api.patch(Paths.NOTIFICATIONS,
                    object("ids", List.of(someNotification))), ok -> model.notificationsMarkedRead(List.of(someNotification)));
            case 5 -> send("POST /api/workflows", () -> api.post(Paths.WORKFLOWS, workflow("w-round-" + round, "DRAFT",
                    "new", List.of(step("only", "noop")))), created -> {
                        model.workflowWritten(created, List.of("only"));
                        createdWorkflow = created.id();
                    });
            // what the cycle's POSTs created goes again, so the data does not grow round after round
            case 6 -> {
                if (createdNotification != null) {
                    long id = createdNotification;
                    createdNotification = null;
                    send("DELETE /api/notifications/{id}", () -> api.delete(Paths.notification(id)),
                            ok -> model.notificationDeleted(id));
                }
            }
            case 7 -> {
                if (createdWorkflow != null) {
                    long id = createdWorkflow;
                    createdWorkflow = null;
                    send("DELETE /api/workflows/{id}", () -> api.delete(Paths.workflow(id)), ok -> model.workflowDeleted(id));
                }
            }
            default -> throw new IllegalArgumentException("no write kind " + kind);
        }
    }

    private void send(String kind, Supplier<ApiResponse> request, Consumer<ApiResponse> acknowledged) {
        ApiResponse response = exchange(kind, request);
        if (response != null && response.isSuccess()) {
            acknowledged.accept(response);
        }
    }

    private void read(ApiClient api, String kind, String path) {
        exchange(kind, () -> api.get(path));
    }

    private ApiResponse exchange(String kind, Supplier<ApiResponse> request) {
        long sent = System.nanoTime();
        try {
            ApiResponse response = request.get();
            exchanges.add(new Exchange(kind, response, null, sent));
            return response;
        } catch (RuntimeException e) {
            exchanges.add(new Exchange(kind, null, e.getMessage(), sent));
            return null;
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return "traffic of " + tenant + " after " + round + " rounds, " + new ArrayList<>(rotation);
    }
}
