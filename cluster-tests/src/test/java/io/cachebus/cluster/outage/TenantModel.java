package io.cachebus.cluster.outage;

import io.cachebus.cluster.support.api.Paths;
import io.cachebus.cluster.support.cluster.ApiNode;
import io.cachebus.testfixtures.api.ApiClient;
import io.cachebus.testfixtures.api.ApiResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * What one tenant's data must look like after every write the API acknowledged: updated only from 2xx responses,
 * and compared with what each node answers, resource by resource.
 */
final class TenantModel {

    record Workflow(String name, String status, String description, List<String> steps) {
    }

    record Notification(String title, boolean read) {
    }

    /**
     * The tenant's data as of one acknowledged write: what a read sent long enough after {@code acknowledgedNanos}
     * may show at the oldest.
     */
    record Version(long acknowledgedNanos, Map<Long, Workflow> workflows, Map<Long, Notification> notifications,
            Set<Long> deletedWorkflows, Set<Long> deletedNotifications) {

        /** Whether {@code response} (to a GET of one of the tenant's resources) shows this version. */
        boolean shows(ApiResponse response) {
            String path = response.path();
            if (path.equals(Paths.WORKFLOW_LIST)) {
                Map<Long, Workflow> listed = new TreeMap<>();
                workflows.forEach((id, w) -> listed.put(id, new Workflow(w.name(), w.status(), w.description(), null)));
                return response.status() == 200 && listed.equals(items(response, TenantModel::workflowListed));
            }
            if (path.equals(Paths.NOTIFICATION_LIST)) {
                return response.status() == 200 && notifications.equals(items(response, TenantModel::notificationListed));
            }
            if (path.equals(Paths.UNREAD_COUNT)) {
                return response.status() == 200
                        && response.json().get("unread").asLong() == notifications.values().stream().filter(n -> !n.read()).count();
            }
            for (Map.Entry<Long, Workflow> workflow : workflows.entrySet()) {
                if (path.equals(Paths.workflow(workflow.getKey()))) {
                    Workflow expected = workflow.getValue();
                    return response.status() == 200 && workflowListed(response.json()).equals(
                            new Workflow(expected.name(), expected.status(), expected.description(), null));
                }
                if (path.equals(Paths.steps(workflow.getKey()))) {
                    return response.status() == 200
                            && workflow.getValue().steps().equals(response.json().get("steps").findValuesAsString("name"));
                }
            }
            for (Map.Entry<Long, Notification> notification : notifications.entrySet()) {
                if (path.equals(Paths.notification(notification.getKey()))) {
                    return response.status() == 200 && notification.getValue().equals(notificationListed(response.json()));
                }
            }
            // not in this version: deleted, or not created yet
            return response.status() == 404;
        }

        private static <T> Map<Long, T> items(ApiResponse page, java.util.function.Function<JsonNode, T> read) {
            Map<Long, T> shown = new TreeMap<>();
            page.json().get("items").forEach(item -> shown.put(item.get("id").asLong(), read.apply(item)));
            return shown;
        }
    }

    private final Map<Long, Workflow> workflows = new TreeMap<>();
    private final Map<Long, Notification> notifications = new TreeMap<>();
    private final Set<Long> deletedWorkflows = new TreeSet<>();
    private final Set<Long> deletedNotifications = new TreeSet<>();
    private final List<Version> versions = new ArrayList<>();

    /** Records the data as it is now, acknowledged now: called after every change. */
    private void versioned() {
        versions.add(new Version(System.nanoTime(), Map.copyOf(workflows), Map.copyOf(notifications),
                Set.copyOf(deletedWorkflows), Set.copyOf(deletedNotifications)));
    }

    /**
     * The versions a read sent at {@code sentNanos} may show when no node may be more than {@code bound} behind: the
     * one in force {@code bound} before it, and every later one.
     */
    synchronized List<Version> versionsAllowedAt(long sentNanos, java.time.Duration bound) {
        long oldestAllowed = sentNanos - bound.toNanos();
        int from = 0;
        for (int i = 0; i < versions.size(); i++) {
            if (versions.get(i).acknowledgedNanos() <= oldestAllowed) {
                from = i;
            }
        }
        return List.copyOf(versions.subList(from, versions.size()));
    }

    synchronized void workflowWritten(ApiResponse response, List<String> steps) {
        JsonNode json = response.json();
        workflows.put(response.id(), new Workflow(json.get("name").asString(), json.get("status").asString(),
                textOrNull(json.get("description")), List.copyOf(steps)));
        versioned();
    }

    /** A PATCH does not touch the steps: keep the ones the model has. */
    synchronized void workflowPatched(ApiResponse response) {
        workflowWritten(response, workflows.get(response.id()).steps());
    }

    synchronized void workflowDeleted(long id) {
        workflows.remove(id);
        deletedWorkflows.add(id);
        versioned();
    }

    synchronized void notificationWritten(ApiResponse response) {
        JsonNode json = response.json();
        notifications.put(response.id(), new Notification(json.get("title").asString(), json.get("read").asBoolean()));
        versioned();
    }

    synchronized void notificationsMarkedRead(List<Long> ids) {
        ids.forEach(id -> notifications.computeIfPresent(id, (key, n) -> new Notification(n.title(), true)));
        versioned();
    }

    synchronized void notificationDeleted(long id) {
        notifications.remove(id);
        deletedNotifications.add(id);
        versioned();
    }

    synchronized List<Long> workflowIds() {
        return List.copyOf(workflows.keySet());
    }

    synchronized List<Long> notificationIds() {
        return List.copyOf(notifications.keySet());
    }

    synchronized boolean isRead(long notification) {
        return notifications.get(notification).read();
    }

    /**
     * Every difference between the model and what {@code node} answers for this tenant (lists, every item, the steps,
     * the unread count, and 404 for what was deleted); empty when the node shows every acknowledged write.
     */
    List<String> differences(ApiNode node, String tenant) {
        Map<Long, Workflow> expectedWorkflows;
        Map<Long, Notification> expectedNotifications;
        Set<Long> goneWorkflows;
        Set<Long> goneNotifications;
        synchronized (this) {
            expectedWorkflows = new TreeMap<>(workflows);
            expectedNotifications = new TreeMap<>(notifications);
            goneWorkflows = new TreeSet<>(deletedWorkflows);
            goneNotifications = new TreeSet<>(deletedNotifications);
        }
        ApiClient api = node.client(tenant);
        List<String> differences = new ArrayList<>();
        Map<Long, Workflow> listedWorkflows = new TreeMap<>();
        expectedWorkflows.forEach((id, w) -> listedWorkflows.put(id, new Workflow(w.name(), w.status(), w.description(),
                null)));
        compare(differences, api.get(Paths.WORKFLOW_LIST), listedWorkflows, TenantModel::workflowListed);
        for (Map.Entry<Long, Workflow> workflow : expectedWorkflows.entrySet()) {
            ApiResponse item = api.get(Paths.workflow(workflow.getKey()));
            ApiResponse steps = api.get(Paths.steps(workflow.getKey()));
            Workflow shown = item.status() == 200 && steps.status() == 200
                    ? new Workflow(workflowListed(item.json()).name(), workflowListed(item.json()).status(),
                            workflowListed(item.json()).description(), steps.json().get("steps").findValuesAsString("name"))
                    : null;
            if (!workflow.getValue().equals(shown)) {
                differences.add(node + " shows " + item + " / " + steps + ", expected " + workflow.getValue());
            }
        }
        compare(differences, api.get(Paths.NOTIFICATION_LIST), expectedNotifications, TenantModel::notificationListed);
        ApiResponse count = api.get(Paths.UNREAD_COUNT);
        long unread = expectedNotifications.values().stream().filter(n -> !n.read()).count();
        if (count.status() != 200 || count.json().get("unread").asLong() != unread) {
            differences.add(node + " shows " + count + ", expected unread " + unread);
        }
        for (Map.Entry<Long, Notification> notification : expectedNotifications.entrySet()) {
            ApiResponse item = api.get(Paths.notification(notification.getKey()));
            if (item.status() != 200 || !notification.getValue().equals(notificationListed(item.json()))) {
                differences.add(node + " shows " + item + ", expected " + notification.getValue());
            }
        }
        goneWorkflows.forEach(id -> expectGone(differences, api.get(Paths.workflow(id))));
        goneNotifications.forEach(id -> expectGone(differences, api.get(Paths.notification(id))));
        return differences;
    }

    private static <T> void compare(List<String> differences, ApiResponse page, Map<Long, T> expected,
            java.util.function.Function<JsonNode, T> read) {
        if (page.status() != 200) {
            differences.add(page + ", expected 200");
            return;
        }
        Map<Long, T> shown = new TreeMap<>();
        page.json().get("items").forEach(item -> shown.put(item.get("id").asLong(), read.apply(item)));
        if (!shown.equals(expected)) {
            differences.add("GET " + page.path() + " on " + page.node() + " shows " + shown + ", expected " + expected);
        }
    }

    private static void expectGone(List<String> differences, ApiResponse response) {
        if (response.status() != 404) {
            differences.add(response + ", expected 404 (deleted)");
        }
    }

    /** A workflow as a list shows it: without its steps. */
    private static Workflow workflowListed(JsonNode json) {
        return new Workflow(json.get("name").asString(), json.get("status").asString(), textOrNull(json.get("description")),
                null);
    }

    private static Notification notificationListed(JsonNode json) {
        return new Notification(json.get("title").asString(), json.get("read").asBoolean());
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asString();
    }

    @Override
    public synchronized String toString() {
        return "workflows=" + workflows + " notifications=" + notifications + " deleted="
                + Objects.toString(deletedWorkflows) + "/" + deletedNotifications;
    }
}
