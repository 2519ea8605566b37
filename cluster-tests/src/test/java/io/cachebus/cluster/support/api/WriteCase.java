package io.cachebus.cluster.support.api;

import static io.cachebus.testfixtures.api.Json.object;
import static io.cachebus.testfixtures.api.Json.step;
import static io.cachebus.testfixtures.api.Json.workflow;
import static io.cachebus.testfixtures.api.Responses.expect;
import static io.cachebus.testfixtures.api.Responses.itemValues;
import static io.cachebus.testfixtures.api.Responses.unread;
import static org.assertj.core.api.Assertions.assertThat;

import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Every write operation of the reference API, each with what it needs created first, the reads it affects and what
 * they must show after it: the prefix-invalidation requirement's list (POST, PUT, PATCH, DELETE and the bulk PATCH of both
 * domains) and the
 * notification's mark unread.
 *
 * @param name    what the write is, e.g. {@code workflows PATCH}
 * @param domain  the domain it mutates
 * @param prepare creates what the write needs through a client of the tenant, and returns the {@link Scene}
 */
public record WriteCase(String name, String domain, Function<ApiClient, Scene> prepare) {

    /**
     * One write, prepared for a tenant.
     *
     * @param cachedPaths    GETs that answer 200 before and after the write, and whose answers the write changes (or
     *                       at least invalidates)
     * @param untouchedPaths GETs of other entities of the domain, which a write of one entity leaves cached on every
     *                       node (its scope is that entity and the domain's collections, ADR 0017)
     * @param gonePaths      GETs that answer 404 after the write (what it deleted)
     * @param write       the write, through the writing node's client
     * @param status      the status the write answers
     * @param after       what each of the cached paths must show once the write is seen
     */
    public record Scene(List<String> cachedPaths, List<String> untouchedPaths, List<String> gonePaths, Function<ApiClient, ApiResponse> write,
            int status, Map<String, Consumer<ApiResponse>> after) {

        /** Checks {@code response} to {@code path} shows the write (paths without a check pass). */
        public void assertShowsTheWrite(String path, ApiResponse response) {
            try {
                after.getOrDefault(path, r -> { }).accept(response);
            } catch (AssertionError e) {
                throw new AssertionError("the answer does not show the write: " + response + "\n" + e.getMessage(), e);
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }

    /** Every write of both domains: POST, PUT, PATCH, DELETE, mark read and unread, bulk mark-read (all, ids). */
    public static List<WriteCase> all() {
        return List.of(
                new WriteCase("workflows POST", Paths.WORKFLOWS_DOMAIN, api -> {
                    long first = createWorkflow(api, "first", List.of(step("a", "noop")));
                    return new Scene(List.of(Paths.WORKFLOW_LIST), List.of(Paths.workflow(first)), List.of(),
                            writer -> writer.post(Paths.WORKFLOWS, workflow("second", "ACTIVE", null, List.of())), 201,
                            Map.of(Paths.WORKFLOW_LIST, list -> assertThat(itemValues(list, "name"))
                                    .containsExactly("first", "second")));
                }),
                new WriteCase("workflows PUT", Paths.WORKFLOWS_DOMAIN, api -> {
                    long id = createWorkflow(api, "one", List.of(step("a", "noop")));
                    return new Scene(List.of(Paths.workflow(id), Paths.steps(id), Paths.WORKFLOW_LIST), List.of(), List.of(),
                            writer -> writer.put(Paths.workflow(id), workflow("one-replaced", "PAUSED", null,
                                    List.of(step("b", "noop"), step("c", "noop")))), 200,
                            Map.of(Paths.workflow(id), item -> assertThat(item.json().get("name").asString())
                                            .isEqualTo("one-replaced"),
                                    Paths.steps(id), steps -> assertThat(steps.json().get("steps").findValuesAsString("name"))
                                            .containsExactly("b", "c"),
                                    Paths.WORKFLOW_LIST, list -> assertThat(itemValues(list, "name"))
                                            .containsExactly("one-replaced")));
                }),
                new WriteCase("workflows PATCH", Paths.WORKFLOWS_DOMAIN, api -> {
                    long id = createWorkflow(api, "one", List.of(step("a", "noop")));
                    return new Scene(List.of(Paths.workflow(id), Paths.steps(id), Paths.WORKFLOW_LIST), List.of(), List.of(),
                            writer -> writer.patch(Paths.workflow(id), object("description", "patched")), 200,
                            Map.of(Paths.workflow(id), item -> assertThat(item.json().get("description").asString())
                                            .isEqualTo("patched"),
                                    Paths.WORKFLOW_LIST, list -> assertThat(itemValues(list, "description"))
                                            .containsExactly("patched")));
                }),
                new WriteCase("workflows DELETE", Paths.WORKFLOWS_DOMAIN, api -> {
                    long kept = createWorkflow(api, "kept", List.of());
                    long deleted = createWorkflow(api, "deleted", List.of(step("a", "noop")));
                    return new Scene(List.of(Paths.WORKFLOW_LIST), List.of(Paths.workflow(kept)),
                            List.of(Paths.workflow(deleted), Paths.steps(deleted)),
                            writer -> writer.delete(Paths.workflow(deleted)), 204,
                            Map.of(Paths.WORKFLOW_LIST, list -> assertThat(itemValues(list, "name"))
                                    .containsExactly("kept")));
                }),
                new WriteCase("notifications POST", Paths.NOTIFICATIONS_DOMAIN, api -> {
                    long first = createNotification(api, "first");
                    return new Scene(List.of(Paths.NOTIFICATION_LIST, Paths.UNREAD_COUNT),
                            List.of(Paths.notification(first)), List.of(),
                            writer -> writer.post(Paths.NOTIFICATIONS, object("title", "second")), 201,
                            Map.of(Paths.NOTIFICATION_LIST, list -> assertThat(itemValues(list, "title"))
                                            .containsExactly("second", "first"),
                                    Paths.UNREAD_COUNT, count -> assertThat(unread(count)).isEqualTo(2)));
                }),
                new WriteCase("notifications PATCH (mark read)", Paths.NOTIFICATIONS_DOMAIN, api -> {
                    long read = createNotification(api, "to read");
                    long unread = createNotification(api, "stays unread");
                    return new Scene(List.of(Paths.notification(read), Paths.UNREAD_COUNT, Paths.NOTIFICATION_LIST),
                            List.of(Paths.notification(unread)), List.of(), writer -> writer.patch(Paths.notification(read), object("read", true)), 200,
                            Map.of(Paths.notification(read), item -> assertThat(item.json().get("read").asBoolean())
                                            .isTrue(),
                                    Paths.UNREAD_COUNT, count -> assertThat(unread(count)).isEqualTo(1),
                                    Paths.NOTIFICATION_LIST, list -> assertThat(itemValues(list, "read"))
                                            .containsExactly("false", "true")));
                }),
                new WriteCase("notifications PATCH (mark unread)", Paths.NOTIFICATIONS_DOMAIN, api -> {
                    long id = createNotification(api, "read, then unread");
                    expect(api.patch(Paths.notification(id), object("read", true)), 200);
                    return new Scene(List.of(Paths.notification(id), Paths.UNREAD_COUNT), List.of(), List.of(),
                            writer -> writer.patch(Paths.notification(id), object("read", false)), 200,
                            Map.of(Paths.notification(id), item -> assertThat(item.json().get("readAt").isNull())
                                            .isTrue(),
                                    Paths.UNREAD_COUNT, count -> assertThat(unread(count)).isEqualTo(1)));
                }),
                new WriteCase("notifications DELETE", Paths.NOTIFICATIONS_DOMAIN, api -> {
                    long deleted = createNotification(api, "deleted");
                    long kept = createNotification(api, "kept");
                    return new Scene(List.of(Paths.NOTIFICATION_LIST, Paths.UNREAD_COUNT),
                            List.of(Paths.notification(kept)), List.of(Paths.notification(deleted)),
                            writer -> writer.delete(Paths.notification(deleted)), 204,
                            Map.of(Paths.NOTIFICATION_LIST, list -> assertThat(itemValues(list, "title"))
                                            .containsExactly("kept"),
                                    Paths.UNREAD_COUNT, count -> assertThat(unread(count)).isEqualTo(1)));
                }),
                new WriteCase("notifications bulk PATCH (all)", Paths.NOTIFICATIONS_DOMAIN, api -> {
                    long first = createNotification(api, "one");
                    createNotification(api, "two");
                    createNotification(api, "three");
                    return new Scene(List.of(Paths.UNREAD_COUNT, Paths.NOTIFICATION_LIST, Paths.notification(first)),
                            List.of(), List.of(), writer -> writer.patch(Paths.NOTIFICATIONS, object("all", true)), 200,
                            Map.of(Paths.UNREAD_COUNT, count -> assertThat(unread(count)).isZero(),
                                    Paths.NOTIFICATION_LIST, list -> assertThat(itemValues(list, "read"))
                                            .containsOnly("true"),
                                    Paths.notification(first), item -> assertThat(item.json().get("read").asBoolean())
                                            .isTrue()));
                }),
                new WriteCase("notifications bulk PATCH (ids)", Paths.NOTIFICATIONS_DOMAIN, api -> {
                    long first = createNotification(api, "one");
                    long second = createNotification(api, "two");
                    createNotification(api, "three");
                    return new Scene(List.of(Paths.UNREAD_COUNT, Paths.notification(second)), List.of(), List.of(),
                            writer -> writer.patch(Paths.NOTIFICATIONS, object("ids", List.of(first, second))), 200,
                            Map.of(Paths.UNREAD_COUNT, count -> assertThat(unread(count)).isEqualTo(1),
                                    Paths.notification(second), item -> assertThat(item.json().get("read").asBoolean())
                                            .isTrue()));
                }));
    }

    public static long createWorkflow(ApiClient api, String name, List<Map<String, String>> steps) {
        return expect(api.post(Paths.WORKFLOWS, workflow(name, "ACTIVE", "created", steps)), 201).id();
    }

    public static long createNotification(ApiClient api, String title) {
        return expect(api.post(Paths.NOTIFICATIONS, object("title", title, "message", "hello")), 201).id();
    }
}
